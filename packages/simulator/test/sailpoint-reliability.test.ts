import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SAILPOINT_ENDPOINTS } from '../src/sailpoint/index.js'
import { T0, WORK_ITEM_SEND, errorDto, startHarness, type Harness } from './sailpoint-fixtures.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h.sim.close()
})

const LIST = '/beta/notification-templates?limit=1'

describe('rate limit: 100 requests per token per 10 s', () => {
  it('answers the 101st request with 429, " Rate Limit Exceeded " and Retry-After in seconds', async () => {
    const token = await h.token()
    for (let i = 0; i < 100; i++) expect((await h.api(LIST, { token })).status).toBe(200)
    const limited = await h.api(LIST, { token })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('10')
    expect(await limited.json()).toEqual({ message: ' Rate Limit Exceeded ' })

    h.clock.now = T0 + 3_500
    expect((await h.api(LIST, { token })).headers.get('retry-after')).toBe('7')

    // Another token has its own budget.
    expect((await h.api(LIST, { token: await h.token() })).status).toBe(200)

    h.clock.now = T0 + 10_000
    expect((await h.api(LIST, { token })).status).toBe(200)
  })

  it('counts send-test calls against the same budget', async () => {
    const token = await h.token()
    for (let i = 0; i < 100; i++) await h.api(LIST, { token })
    const res = await h.api('/send-test-notification/v1', { body: WORK_ITEM_SEND, token })
    expect(res.status).toBe(429)
    expect(h.sim.outbox).toEqual([])
  })

  it("is off with rateLimits: 'off'", async () => {
    await h.sim.close()
    h = await startHarness({ rateLimits: 'off' })
    const token = await h.token()
    for (let i = 0; i < 120; i++) expect((await h.api(LIST, { token })).status).toBe(200)
  })
})

describe("rateLimitPer: 'clientId' (SailPoint's 2026-03 documentation)", () => {
  it('counts every token of one client against one budget: a new token does not reset it', async () => {
    await h.sim.close()
    h = await startHarness({
      rateLimitPer: 'clientId',
      clients: [{ clientId: 'other-client', clientSecret: 'other-secret' }],
    })
    const first = await h.token()
    for (let i = 0; i < 100; i++) expect((await h.api(LIST, { token: first })).status).toBe(200)
    h.sim.revokeTokens()
    const fresh = await h.token()
    const limited = await h.api(LIST, { token: fresh })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('10')
    // Another client has its own budget.
    expect(
      (await h.api(LIST, { token: await h.token('other-client', 'other-secret') })).status,
    ).toBe(200)
    h.clock.now = T0 + 10_000
    expect((await h.api(LIST, { token: fresh })).status).toBe(200)
  })

  it('counts per token by default, as SailPoint documented before 2026-03', async () => {
    const first = await h.token()
    for (let i = 0; i < 100; i++) await h.api(LIST, { token: first })
    expect((await h.api(LIST, { token: first })).status).toBe(429)
    expect((await h.api(LIST, { token: await h.token() })).status).toBe(200)
  })
})

describe('routeBackoff: 60, 300, 600, then 1,200 s', () => {
  /** Exceeds the limit in one 10 s window; the answer to the request over it. */
  async function exceedWindow(token: string): Promise<Response> {
    let last: Response | undefined
    for (let i = 0; i < 101; i++) last = await h.api(LIST, { token })
    if (last === undefined) throw new Error('no request made')
    return last
  }

  it('escalates after three violated windows within 120 s, and remembers the tier for an hour', async () => {
    await h.sim.close()
    h = await startHarness({
      rateLimitPer: 'clientId',
      routeBackoff: true,
      tokenLifetimeSeconds: 86_400,
    })
    const token = await h.token()
    const retryAfters: (string | null)[] = []
    let now = T0
    for (let tier = 0; tier < 5; tier++) {
      for (let window = 0; window < 3; window++) {
        const res = await exceedWindow(token)
        expect(res.status).toBe(429)
        retryAfters.push(res.headers.get('retry-after'))
        now += 10_000
        h.clock.now = now
      }
      // During the back-off every request is refused with what remains of it.
      const during = await h.api(LIST, { token })
      expect(during.status).toBe(429)
      now += Number(retryAfters.at(-1)) * 1000
      h.clock.now = now
    }
    expect(retryAfters).toEqual([
      '10',
      '10',
      '60',
      '10',
      '10',
      '300',
      '10',
      '10',
      '600',
      '10',
      '10',
      '1200',
      '10',
      '10',
      '1200',
    ])
    // An hour after the last back-off ended, the tiers start again at 60 s.
    now += 3_600_000
    h.clock.now = now
    const again: (string | null)[] = []
    for (let window = 0; window < 3; window++) {
      again.push((await exceedWindow(token)).headers.get('retry-after'))
      now += 10_000
      h.clock.now = now
    }
    expect(again).toEqual(['10', '10', '60'])
  })

  it('is off by default: Retry-After never exceeds the 10 s window', async () => {
    const token = await h.token()
    for (let window = 0; window < 4; window++) {
      expect((await exceedWindow(token)).headers.get('retry-after')).toBe('10')
      h.clock.now += 10_000
    }
  })
})

describe('faults', () => {
  it('names every endpoint', () => {
    expect(SAILPOINT_ENDPOINTS).toEqual([
      'token',
      'sendTestNotification',
      'listTemplates',
      'templateDefaults',
      'templateVariables',
    ])
  })

  it.each([
    [500, '500.0 Internal Fault', 'The server hit an internal fault while handling the request.'],
    [502, '502 Bad Gateway', 'An upstream service answered badly.'],
    [503, '503 Service Unavailable', 'The service is temporarily unavailable.'],
  ])(
    'answers a %i fault as an ErrorResponseDto, and sends nothing',
    async (status, detailCode, text) => {
      h.sim.faults.set('sendTestNotification', { kind: 'status', status })
      const res = await h.api('/beta/send-test-notification', { body: WORK_ITEM_SEND })
      expect(res.status).toBe(status)
      expect(await res.json()).toEqual(errorDto(detailCode, text))
      expect(h.sim.outbox).toEqual([])
    },
  )

  it('answers a 401 fault the way an expired token is answered', async () => {
    h.sim.faults.set('listTemplates', { kind: 'status', status: 401, times: 1 })
    const res = await h.api(LIST)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'JWT validation failed: JWT is expired' })
    expect((await h.api(LIST)).status).toBe(200)
  })

  it('answers a rate-limit fault in the vendor form with Retry-After: 1', async () => {
    h.sim.faults.set('templateDefaults', { kind: 'rateLimit' })
    const res = await h.api('/notification-template-defaults/v1')
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(await res.json()).toEqual({ message: ' Rate Limit Exceeded ' })
  })

  it('drops a send-test connection before anything is sent', async () => {
    const token = await h.token()
    h.sim.faults.set('sendTestNotification', { kind: 'drop' })
    await expect(
      h.api('/beta/send-test-notification', { body: WORK_ITEM_SEND, token }),
    ).rejects.toThrow('fetch failed')
    expect(h.sim.outbox).toEqual([])
    await new Promise((r) => setTimeout(r, 10))
    const last = h.sim.inspect().requests.at(-1)
    expect(last).toMatchObject({
      endpoint: 'sendTestNotification',
      outcome: 'dropped',
      fault: { kind: 'drop' },
    })
  })

  it('sends malformed bodies: broken JSON, a truncated body, an HTML proxy page', async () => {
    const token = await h.token()
    h.sim.faults.set('listTemplates', {
      kind: 'malformed',
      malformed: 'invalid-json',
      status: 500,
      times: 1,
    })
    const broken = await h.api(LIST, { token })
    expect(broken.status).toBe(500)
    expect(await broken.text()).toBe('{"detailCode":"500.0 Internal Fault","trackingId":"')

    h.sim.faults.set('listTemplates', { kind: 'malformed', malformed: 'truncated', times: 1 })
    const truncated = await h.api(LIST, { token })
    expect(truncated.status).toBe(200)
    await expect(truncated.json()).rejects.toThrow()

    h.sim.faults.set('listTemplates', { kind: 'malformed', malformed: 'html', times: 1 })
    const html = await h.api(LIST, { token })
    expect(html.status).toBe(502)
    expect(html.headers.get('content-type')).toBe('text/html')
    expect(await html.text()).toContain('502 Bad Gateway')
    expect(h.sim.faults.count).toEqual({ total: 3, byEndpoint: { listTemplates: 3 } })
  })

  it('faults the token endpoint like any other', async () => {
    h.sim.faults.set('token', { kind: 'status', status: 503, times: 1 })
    await expect(h.token()).rejects.toThrow('token request failed: 503')
    expect(typeof (await h.token())).toBe('string')
    expect(h.sim.tokensIssued).toBe(1)
  })

  it('delays with latencyMs on the variables endpoint', async () => {
    const token = await h.token()
    h.sim.faults.set('templateVariables', { kind: 'latency', latencyMs: 50, times: 1 })
    const started = Date.now()
    const res = await h.api(
      '/notification-template-variables/v1/certification_campaign_reminder/EMAIL',
      { token },
    )
    expect(res.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)
  })
})

describe('oversized bodies', () => {
  it('answers 413 as an ErrorResponseDto to a send-test body over 1 MiB', async () => {
    const res = await h.api('/beta/send-test-notification', {
      body: { ...WORK_ITEM_SEND, context: { filler: 'x'.repeat(1024 * 1024) } },
    })
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual(
      errorDto('413 Payload Too Large', 'The request body exceeds 1048576 bytes.'),
    )
    expect(h.sim.outbox).toEqual([])
  })
})

describe('control surface over HTTP', () => {
  it('sets a fault and reads the inspection from another "process"', async () => {
    const set = await fetch(`${h.sim.baseUrl}/__simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({
        endpoint: 'sendTestNotification',
        kind: 'status',
        status: 500,
        times: 1,
      }),
    })
    expect(set.status).toBe(200)
    const token = await h.token()
    expect(
      (await h.api('/beta/send-test-notification', { body: WORK_ITEM_SEND, token })).status,
    ).toBe(500)
    expect(
      (await h.api('/beta/send-test-notification', { body: WORK_ITEM_SEND, token })).status,
    ).toBe(204)

    const res = await fetch(`${h.sim.baseUrl}/__simulator/inspect`)
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toContain('admin-secret')
    expect(text).not.toContain(token)
    const inspection = JSON.parse(text) as ReturnType<typeof h.sim.inspect>
    expect(inspection).toMatchObject({
      vendor: 'sailpoint',
      baseUrl: h.sim.baseUrl,
      tokenUrl: h.sim.tokenUrl,
      tenant: 'acme',
      now: T0,
      tokensIssued: 1,
      faults: { active: {}, count: { total: 1, byEndpoint: { sendTestNotification: 1 } } },
    })
    expect(inspection.requests.map((r) => [r.endpoint, r.status, r.fault?.kind])).toEqual([
      ['token', 200, undefined],
      ['sendTestNotification', 500, 'status'],
      ['sendTestNotification', 204, undefined],
    ])
    expect(inspection.outbox).toHaveLength(1)
    expect(inspection.outbox[0]?.key).toBe('cloud_manual_work_item_summary')

    const cleared = await fetch(`${h.sim.baseUrl}/__simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ clear: true }),
    })
    expect(cleared.status).toBe(200)
  })

  it('refuses a fault on an endpoint SailPoint does not have', async () => {
    const res = await fetch(`${h.sim.baseUrl}/__simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ endpoint: 'history', kind: 'status', status: 500 }),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error:
        'unknown endpoint "history"; expected one of token, sendTestNotification, listTemplates, templateDefaults, templateVariables',
    })
  })
})
