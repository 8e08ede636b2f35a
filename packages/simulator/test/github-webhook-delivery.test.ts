import { verify } from '@octokit/webhooks-methods'
import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startGitHubSimulator, type GitHubSimulator } from '../src/github/index.js'
import { signatureSha1, signatureSha256 } from '../src/github/signatures.js'
import { deadUrl, startReceiver, type Receiver } from './apple-helpers.js'
import { callGitHub } from './github-helpers.js'

const SECRET = 'sim hook secret'

/** The parts of a ping payload the tests read. */
interface PingPayload {
  zen: string
  hook_id: number
  hook: { type: string; config: { secret?: string }; test_url?: string }
  repository?: { full_name: string }
  organization?: { login: string }
}

interface DeliveryDetail {
  url: string
  request: { headers: Record<string, string>; payload: PingPayload }
  response: { headers: Record<string, string>; payload: string }
}

describe('GitHub simulator: signatures', () => {
  it("matches GitHub's documented HMAC test vector", () => {
    const body = Buffer.from('Hello, World!', 'utf8')
    expect(signatureSha256("It's a Secret to Everybody", body)).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    )
    expect(signatureSha1("It's a Secret to Everybody", body)).toBe(
      'sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59',
    )
  })
})

describe('GitHub simulator: webhook deliveries', () => {
  let sim: GitHubSimulator
  let receiver: Receiver

  beforeEach(async () => {
    receiver = await startReceiver()
    sim = await startGitHubSimulator({ deliveryTimeoutMs: 500 })
  })
  afterEach(async () => {
    await sim.close()
    await receiver.close()
  })

  const repoHook = (
    options: { contentType?: 'json' | 'form'; secret?: string; events?: string[] } = {},
  ) =>
    sim.createHook({ target: { owner: 'Octo-Org', repo: 'Hello' }, url: receiver.url, ...options })

  it('pings a repository hook: 204 with no body, then one POST with GitHub headers, form by default', async () => {
    const hook = repoHook({ secret: SECRET })
    const answer = await callGitHub(sim, 'POST', `/repos/octo-org/hello/hooks/${hook.id}/pings`)
    expect(answer.status).toBe(204)
    expect(answer.text).toBe('')
    await sim.idle()
    expect(receiver.received).toHaveLength(1)
    const [got] = receiver.received
    const h = got.headers
    expect(got.method).toBe('POST')
    expect(h['x-github-event']).toBe('ping')
    expect(h['x-github-delivery']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    )
    expect(h['x-github-hook-id']).toBe(String(hook.id))
    expect(h['x-github-hook-installation-target-type']).toBe('repository')
    expect(h['x-github-hook-installation-target-id']).toBe(String(hook.targetId))
    expect(h['user-agent']).toMatch(/^GitHub-Hookshot\/[0-9a-f]{7}$/)
    expect(h.accept).toBe('*/*')
    expect(h['content-type']).toBe('application/x-www-form-urlencoded')
    // The signatures cover the exact bytes sent: the urlencoded form, not the inner JSON.
    expect(await verify(SECRET, got.body, h['x-hub-signature-256'] as string)).toBe(true)
    expect(h['x-hub-signature']).toBe(
      `sha1=${createHmac('sha1', SECRET).update(got.body).digest('hex')}`,
    )
    const payload = JSON.parse(new URLSearchParams(got.body).get('payload')!) as PingPayload
    expect(payload.hook_id).toBe(hook.id)
    expect(payload.hook.type).toBe('Repository')
    expect(payload.hook.config.secret).toBe('********')
    expect(payload.hook.test_url).toMatch(/\/hooks\/\d+\/tests$/)
    expect(payload.repository?.full_name).toBe('Octo-Org/Hello')
    expect(typeof payload.zen).toBe('string')
    expect(JSON.stringify(payload)).not.toContain(SECRET)
  })

  it('sends JSON to a json hook and no signature headers when the hook has no secret', async () => {
    const hook = repoHook({ contentType: 'json' })
    await callGitHub(sim, 'POST', `/repos/Octo-Org/Hello/hooks/${hook.id}/pings`)
    await sim.idle()
    const [got] = receiver.received
    expect(got.headers['content-type']).toBe('application/json')
    expect(got.headers['x-hub-signature-256']).toBeUndefined()
    expect(got.headers['x-hub-signature']).toBeUndefined()
    expect((JSON.parse(got.body) as { hook_id: number }).hook_id).toBe(hook.id)
  })

  it('records the delivery in the log: OK/200, event ping, the request and the response', async () => {
    receiver.setHandler((_req, res) => res.writeHead(200, { 'x-receiver': 'yes' }).end('thanks'))
    const hook = repoHook({ contentType: 'json', secret: SECRET })
    await callGitHub(sim, 'POST', `/repos/octo-org/hello/hooks/${hook.id}/pings`)
    await sim.idle()
    const list = await callGitHub(sim, 'GET', `/repos/octo-org/hello/hooks/${hook.id}/deliveries`)
    expect(list.status).toBe(200)
    const items = list.json as Record<string, unknown>[]
    expect(items).toHaveLength(1)
    const item = items[0]
    expect(item).toMatchObject({
      event: 'ping',
      action: null,
      status: 'OK',
      status_code: 200,
      redelivery: false,
      installation_id: null,
      repository_id: hook.targetId,
    })
    expect(item.id).toBeGreaterThan(2 ** 32)
    expect(item.delivered_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(item.guid).toBe(receiver.received[0].headers['x-github-delivery'])
    const detail = await callGitHub(
      sim,
      'GET',
      `/repos/octo-org/hello/hooks/${hook.id}/deliveries/${String(item.id)}`,
    )
    const d = detail.json as DeliveryDetail
    expect(d.url).toBe(receiver.url)
    expect(d.request.headers['X-GitHub-Hook-ID']).toBe(String(hook.id))
    expect(d.request.headers['X-Hub-Signature-256']).toBe(
      receiver.received[0].headers['x-hub-signature-256'],
    )
    expect(d.request.payload.hook_id).toBe(hook.id)
    expect(d.response.payload).toBe('thanks')
    expect(d.response.headers['x-receiver']).toBe('yes')
  })

  it('push test: sends a signed push when subscribed, 204 and nothing when not', async () => {
    const subscribed = repoHook({ contentType: 'json', secret: SECRET })
    const other = repoHook({ contentType: 'json', events: ['issues'] })
    expect(
      (await callGitHub(sim, 'POST', `/repos/octo-org/hello/hooks/${other.id}/tests`)).status,
    ).toBe(204)
    expect(
      (await callGitHub(sim, 'POST', `/repos/octo-org/hello/hooks/${subscribed.id}/tests`)).status,
    ).toBe(204)
    await sim.idle()
    expect(receiver.received).toHaveLength(1)
    const [got] = receiver.received
    expect(got.headers['x-github-event']).toBe('push')
    expect(got.headers['x-github-hook-id']).toBe(String(subscribed.id))
    expect(await verify(SECRET, got.body, got.headers['x-hub-signature-256'] as string)).toBe(true)
    expect((JSON.parse(got.body) as { ref: string }).ref).toBe('refs/heads/main')
    expect(sim.deliveries(other.id)).toHaveLength(0)
  })

  it('organization hooks: ping with target type organization; there is no org /tests (404)', async () => {
    const hook = sim.createHook({
      target: { org: 'octo-org' },
      url: receiver.url,
      contentType: 'json',
    })
    expect((await callGitHub(sim, 'POST', `/orgs/octo-org/hooks/${hook.id}/pings`)).status).toBe(
      204,
    )
    const tests = await callGitHub(sim, 'POST', `/orgs/octo-org/hooks/${hook.id}/tests`)
    expect(tests.status).toBe(404)
    expect(tests.json).toMatchObject({
      message: 'Not Found',
      documentation_url: expect.any(String) as string,
    })
    await sim.idle()
    expect(receiver.received).toHaveLength(1)
    const h = receiver.received[0].headers
    expect(h['x-github-hook-installation-target-type']).toBe('organization')
    const payload = JSON.parse(receiver.received[0].body) as PingPayload
    expect(payload.organization?.login).toBe('octo-org')
    expect(payload.hook.test_url).toBeUndefined()
  })

  it("the App's hook: target type integration and the App id", async () => {
    sim.configureAppHook({ url: receiver.url, contentType: 'json', secret: SECRET })
    sim.deliverEvent(sim.appHookId, { event: 'ping' })
    await sim.idle()
    const h = receiver.received[0].headers
    expect(h['x-github-hook-installation-target-type']).toBe('integration')
    expect(h['x-github-hook-installation-target-id']).toBe(String(sim.credentials.app.appId))
    expect(h['x-github-hook-id']).toBe(String(sim.appHookId))
    expect(
      await verify(SECRET, receiver.received[0].body, h['x-hub-signature-256'] as string),
    ).toBe(true)
  })

  it('a receiver error is recorded with its code and never retried', async () => {
    receiver.setHandler((_req, res) => res.writeHead(500).end('boom'))
    const hook = repoHook()
    await callGitHub(sim, 'POST', `/repos/octo-org/hello/hooks/${hook.id}/pings`)
    await sim.idle()
    const [delivery] = sim.deliveries(hook.id)
    expect(delivery).toMatchObject({
      status: 'Invalid HTTP Response: 500',
      statusCode: 500,
      responseBody: 'boom',
    })
    expect(receiver.received).toHaveLength(1)
  })

  it('a redirect is not followed and not OK, though status=success lists it (200-399)', async () => {
    receiver.setHandler((_req, res) => res.writeHead(302, { location: '/elsewhere' }).end())
    const hook = repoHook()
    await callGitHub(sim, 'POST', `/repos/octo-org/hello/hooks/${hook.id}/pings`)
    await sim.idle()
    expect(receiver.received).toHaveLength(1)
    expect(sim.deliveries(hook.id)[0]).toMatchObject({
      status: 'Invalid HTTP Response: 302',
      statusCode: 302,
    })
    const success = await callGitHub(
      sim,
      'GET',
      `/repos/octo-org/hello/hooks/${hook.id}/deliveries?status=success`,
    )
    expect(success.json).toHaveLength(1)
  })

  it('a receiver slower than the cut-off is recorded as timed out (504 by default)', async () => {
    receiver.setHandler(() => undefined)
    const hook = repoHook()
    await callGitHub(sim, 'POST', `/repos/octo-org/hello/hooks/${hook.id}/pings`)
    await sim.idle()
    expect(sim.deliveries(hook.id)[0]).toMatchObject({
      status: 'timed out',
      statusCode: 504,
      responseHeaders: null,
      responseBody: null,
    })
  })

  it('a refused connection is recorded as failed to connect to network (502 by default)', async () => {
    const hook = sim.createHook({ target: { owner: 'o', repo: 'r' }, url: await deadUrl() })
    await callGitHub(sim, 'POST', `/repos/o/r/hooks/${hook.id}/pings`)
    await sim.idle()
    expect(sim.deliveries(hook.id)[0]).toMatchObject({
      status: 'failed to connect to network',
      statusCode: 502,
    })
  })

  it('keeps only a bounded excerpt of a huge response body', async () => {
    receiver.setHandler((_req, res) => res.writeHead(200).end('x'.repeat(2 * 1024 * 1024)))
    const hook = repoHook()
    await callGitHub(sim, 'POST', `/repos/octo-org/hello/hooks/${hook.id}/pings`)
    await sim.idle()
    const [delivery] = sim.deliveries(hook.id)
    expect(delivery.statusCode).toBe(200)
    expect(delivery.responseBody).toHaveLength(16 * 1024)
  })
})

describe('GitHub simulator: timing of the log', () => {
  it('lists a delivery only after the configured log delay', async () => {
    const receiver = await startReceiver()
    let clock = Date.UTC(2026, 0, 15)
    const sim = await startGitHubSimulator({ logDelayMs: 120_000, now: () => clock })
    try {
      const hook = sim.createHook({ target: { owner: 'o', repo: 'r' }, url: receiver.url })
      await callGitHub(sim, 'POST', `/repos/o/r/hooks/${hook.id}/pings`)
      await sim.idle()
      expect(receiver.received).toHaveLength(1)
      const before = await callGitHub(sim, 'GET', `/repos/o/r/hooks/${hook.id}/deliveries`)
      expect(before.json).toEqual([])
      clock += 120_000
      const after = await callGitHub(sim, 'GET', `/repos/o/r/hooks/${hook.id}/deliveries`)
      expect(after.json).toHaveLength(1)
    } finally {
      await sim.close()
      await receiver.close()
    }
  })
})
