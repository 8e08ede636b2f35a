import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startGitHubSimulator, type GitHubSimulator } from '../src/github/index.js'
import { startReceiver, type Receiver } from './apple-helpers.js'
import { appJwt, callGitHub, manualClock, nextLink } from './github-helpers.js'

const DAY = 86_400_000

interface Item {
  id: number
  guid: string
  redelivery: boolean
  status_code: number
  event: string
  delivered_at: string
}

describe('GitHub simulator: deliveries log', () => {
  let sim: GitHubSimulator
  let receiver: Receiver
  const clock = manualClock()

  beforeEach(async () => {
    receiver = await startReceiver()
    sim = await startGitHubSimulator({ now: clock.now, rateLimits: 'off' })
  })
  afterEach(async () => {
    await sim.close()
    await receiver.close()
  })

  const hookPath = (id: number) => `/repos/o/r/hooks/${String(id)}`
  const newHook = () => sim.createHook({ target: { owner: 'o', repo: 'r' }, url: receiver.url })

  it('lists newest first, 30 per page by default, following the cursor in link rel="next"', async () => {
    const hook = newHook()
    sim.seedDeliveries(hook.id, { count: 75, newestAt: clock.now() })
    const seen: Item[] = []
    let url: string | undefined = `${hookPath(hook.id)}/deliveries`
    const sizes: number[] = []
    while (url !== undefined) {
      const page = await callGitHub(sim, 'GET', url)
      expect(page.status).toBe(200)
      const items = page.json as Item[]
      sizes.push(items.length)
      seen.push(...items)
      url = nextLink(page.headers)
      if (url !== undefined) {
        expect(url).toContain('per_page=30')
        expect(url).toMatch(/cursor=[A-Za-z0-9_-]+/)
      }
    }
    expect(sizes).toEqual([30, 30, 15])
    expect(new Set(seen.map((i) => i.id)).size).toBe(75)
    const ids = seen.map((i) => i.id)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
  })

  it('clamps per_page above 100 to 100 and carries it in the link', async () => {
    const hook = newHook()
    sim.seedDeliveries(hook.id, { count: 150 })
    const page = await callGitHub(sim, 'GET', `${hookPath(hook.id)}/deliveries?per_page=500`)
    expect(page.json).toHaveLength(100)
    expect(nextLink(page.headers)).toContain('per_page=100')
    const last = await callGitHub(sim, 'GET', nextLink(page.headers)!)
    expect(last.json).toHaveLength(50)
    expect(last.headers.get('link')).toBeNull()
  })

  it('a page is stable while new deliveries arrive at the top', async () => {
    const hook = newHook()
    sim.seedDeliveries(hook.id, { count: 4, newestAt: clock.now() - 10_000 })
    const first = await callGitHub(sim, 'GET', `${hookPath(hook.id)}/deliveries?per_page=2`)
    sim.seedDeliveries(hook.id, { count: 3, newestAt: clock.now() })
    const second = await callGitHub(sim, 'GET', nextLink(first.headers)!)
    const all = sim
      .deliveries(hook.id)
      .slice(0, 4)
      .map((d) => d.id)
      .reverse()
    expect([...(first.json as Item[]), ...(second.json as Item[])].map((i) => i.id)).toEqual(all)
  })

  it('filters by status: success is 200-399, failure is 400-599, and keeps the filter in the link', async () => {
    const hook = newHook()
    sim.seedDeliveries(hook.id, { count: 3, statusCode: 200, newestAt: clock.now() - 60_000 })
    sim.seedDeliveries(hook.id, { count: 3, statusCode: 404, newestAt: clock.now() - 30_000 })
    sim.seedDeliveries(hook.id, { count: 1, statusCode: 502 })
    const failure = await callGitHub(
      sim,
      'GET',
      `${hookPath(hook.id)}/deliveries?status=failure&per_page=2`,
    )
    expect((failure.json as Item[]).map((i) => i.status_code)).toEqual([502, 404])
    expect(nextLink(failure.headers)).toContain('status=failure')
    const rest = await callGitHub(sim, 'GET', nextLink(failure.headers)!)
    expect((rest.json as Item[]).map((i) => i.status_code)).toEqual([404, 404])
    const success = await callGitHub(sim, 'GET', `${hookPath(hook.id)}/deliveries?status=success`)
    expect((success.json as Item[]).map((i) => i.status_code)).toEqual([200, 200, 200])
  })

  it('answers 422 validation-error naming a bad per_page, cursor or status', async () => {
    const hook = newHook()
    for (const [query, field] of [
      ['per_page=0', 'per_page'],
      ['per_page=abc', 'per_page'],
      ['cursor=not-ours', 'cursor'],
      ['status=ok', 'status'],
    ] as const) {
      const answer = await callGitHub(sim, 'GET', `${hookPath(hook.id)}/deliveries?${query}`)
      expect(answer.status).toBe(422)
      expect(answer.json).toMatchObject({
        message: 'Validation Failed',
        errors: [{ field, code: 'invalid' }],
      })
    }
  })

  it("stamps every answer's Date on its own clock, the clock delivered_at is stamped on", async () => {
    const hook = newHook()
    const expected = new Date(clock.now()).toUTCString()
    const ping = await callGitHub(sim, 'POST', `${hookPath(hook.id)}/pings`)
    expect(ping.status).toBe(204)
    expect(ping.headers.get('date')).toBe(expected)
    await sim.idle()
    const list = await callGitHub(sim, 'GET', `${hookPath(hook.id)}/deliveries`)
    expect(list.headers.get('date')).toBe(expected)
    const [delivery] = list.json as Item[]
    expect(Date.parse(delivery.delivered_at)).toBe(Date.parse(expected))
    const refused = await callGitHub(sim, 'GET', `${hookPath(hook.id)}/deliveries`, { token: null })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('date')).toBe(expected)
  })

  it('redelivery: 202 {}, a new id, the same GUID, redelivery true, and the same X-GitHub-Delivery', async () => {
    const hook = sim.createHook({
      target: { owner: 'o', repo: 'r' },
      url: receiver.url,
      secret: 's',
    })
    await callGitHub(sim, 'POST', `${hookPath(hook.id)}/pings`)
    await sim.idle()
    const [original] = (await callGitHub(sim, 'GET', `${hookPath(hook.id)}/deliveries`))
      .json as Item[]
    const answer = await callGitHub(
      sim,
      'POST',
      `${hookPath(hook.id)}/deliveries/${String(original.id)}/attempts`,
    )
    expect(answer.status).toBe(202)
    expect(answer.json).toEqual({})
    await sim.idle()
    const items = (await callGitHub(sim, 'GET', `${hookPath(hook.id)}/deliveries`)).json as Item[]
    expect(items).toHaveLength(2)
    expect(items[0]).toMatchObject({ guid: original.guid, redelivery: true, event: 'ping' })
    expect(items[0].id).toBeGreaterThan(original.id)
    expect(receiver.received.map((r) => r.headers['x-github-delivery'])).toEqual([
      original.guid,
      original.guid,
    ])
    expect(receiver.received[1].body).toBe(receiver.received[0].body)
  })

  it('unknown delivery: 404 on get and redelivery', async () => {
    const hook = newHook()
    expect((await callGitHub(sim, 'GET', `${hookPath(hook.id)}/deliveries/123`)).status).toBe(404)
    expect(
      (await callGitHub(sim, 'POST', `${hookPath(hook.id)}/deliveries/123/attempts`)).status,
    ).toBe(404)
  })

  it('a delivery of another hook is not found through this one', async () => {
    const a = newHook()
    const b = newHook()
    const [seeded] = sim.seedDeliveries(a.id, { count: 1 })
    expect(
      (await callGitHub(sim, 'GET', `${hookPath(b.id)}/deliveries/${String(seeded.id)}`)).status,
    ).toBe(404)
    expect(
      (await callGitHub(sim, 'GET', `${hookPath(a.id)}/deliveries/${String(seeded.id)}`)).status,
    ).toBe(200)
  })

  it('keeps three days: older deliveries disappear and can no longer be redelivered', async () => {
    const hook = newHook()
    const [old] = sim.seedDeliveries(hook.id, { count: 1, newestAt: clock.now() - 3 * DAY + 1000 })
    const [recent] = sim.seedDeliveries(hook.id, { count: 1 })
    expect((await callGitHub(sim, 'GET', `${hookPath(hook.id)}/deliveries`)).json).toHaveLength(2)
    clock.advance(2000)
    const items = (await callGitHub(sim, 'GET', `${hookPath(hook.id)}/deliveries`)).json as Item[]
    expect(items.map((i) => i.id)).toEqual([recent.id])
    expect(
      (await callGitHub(sim, 'GET', `${hookPath(hook.id)}/deliveries/${String(old.id)}`)).status,
    ).toBe(404)
    const redeliver = await callGitHub(
      sim,
      'POST',
      `${hookPath(hook.id)}/deliveries/${String(old.id)}/attempts`,
    )
    expect(redeliver.status).toBe(404)
    expect(receiver.received).toHaveLength(0)
  })

  it('organization hook deliveries have their own routes', async () => {
    const hook = sim.createHook({ target: { org: 'acme' }, url: receiver.url })
    sim.seedDeliveries(hook.id, { count: 2, event: 'ping' })
    const list = await callGitHub(sim, 'GET', `/orgs/acme/hooks/${String(hook.id)}/deliveries`)
    expect(list.json).toHaveLength(2)
    expect(
      (await callGitHub(sim, 'GET', `/repos/acme/x/hooks/${String(hook.id)}/deliveries`)).status,
    ).toBe(404)
  })

  it("the App's hook deliveries: list, get and redeliver with the App JWT", async () => {
    sim.configureAppHook({ url: receiver.url, contentType: 'json' })
    sim.deliverEvent(sim.appHookId, { event: 'ping' })
    await sim.idle()
    const jwt = await appJwt(sim, { nowS: Math.floor(clock.now() / 1000) })
    const list = await callGitHub(sim, 'GET', '/app/hook/deliveries', { token: jwt })
    expect(list.status).toBe(200)
    const [item] = list.json as Item[]
    expect(item).toMatchObject({ event: 'ping', status: 'OK' })
    expect(
      (await callGitHub(sim, 'GET', `/app/hook/deliveries/${String(item.id)}`, { token: jwt }))
        .status,
    ).toBe(200)
    const redeliver = await callGitHub(
      sim,
      'POST',
      `/app/hook/deliveries/${String(item.id)}/attempts`,
      { token: jwt },
    )
    expect(redeliver.status).toBe(202)
    await sim.idle()
    expect(receiver.received).toHaveLength(2)
    expect(receiver.received[1].headers['x-github-delivery']).toBe(item.guid)
  })
})

describe('GitHub simulator: the other reading of an expired redelivery', () => {
  it('expiredRedeliveryStatus 422 answers a validation-error', async () => {
    const clock = manualClock()
    const sim = await startGitHubSimulator({
      now: clock.now,
      expiredRedeliveryStatus: 422,
      retentionDays: 7,
    })
    try {
      const hook = sim.createHook({
        target: { owner: 'o', repo: 'r' },
        url: 'http://127.0.0.1:9/x',
      })
      const [old] = sim.seedDeliveries(hook.id, { count: 1 })
      clock.advance(6 * DAY)
      expect(
        (await callGitHub(sim, 'GET', `/repos/o/r/hooks/${String(hook.id)}/deliveries`)).json,
      ).toHaveLength(1)
      clock.advance(DAY + 1)
      const answer = await callGitHub(
        sim,
        'POST',
        `/repos/o/r/hooks/${String(hook.id)}/deliveries/${String(old.id)}/attempts`,
      )
      expect(answer.status).toBe(422)
      expect(answer.json).toMatchObject({
        message: 'Validation Failed',
        errors: [{ field: 'delivery_id' }],
      })
    } finally {
      await sim.close()
    }
  })
})
