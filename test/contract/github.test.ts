import { createServer } from 'node:http'
import { createGitHubTester, type GitHubTester } from '@notiprobe/github'
import { waitForOutcome } from '@notiprobe/core'
import { refusedPort, rejectionOf, thrownBy } from '@notiprobe/core/testing'
import { startGitHubSimulator, type GitHubSimulator } from '@notiprobe/simulator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closeServer, listen } from '../support/servers.js'
import { SECRET, repoTester, requestsTo, startReceiver, type Receiver } from './github-helpers.js'

let sim: GitHubSimulator
let receiver: Receiver
const testers: GitHubTester[] = []

beforeEach(async () => {
  sim = await startGitHubSimulator({ rateLimits: 'off', deliveryTimeoutMs: 300 })
  receiver = await startReceiver()
})

afterEach(async () => {
  for (const tester of testers.splice(0)) tester.close()
  await sim.close()
  await receiver.close()
})

function tester(hookId: number, extra = {}): GitHubTester {
  const made = repoTester(sim, hookId, extra)
  testers.push(made)
  return made
}

function repoHook(url: string, extra: { events?: string[]; contentType?: 'json' | 'form' } = {}) {
  return sim.createHook({
    target: { owner: 'octo', repo: 'hello' },
    url,
    secret: SECRET,
    events: extra.events ?? ['push'],
    ...(extra.contentType === undefined ? {} : { contentType: extra.contentType }),
  })
}

describe('GitHub ping, confirmed end to end', () => {
  it('delivered: the ping reaches notiprobe’s receiver (signature verified) and the log says 200', async () => {
    const hook = repoHook(receiver.url)
    const gh = tester(hook.id)
    const ticket = await gh.send()
    expect(ticket.details).toMatchObject({ kind: 'ping', httpStatus: 204 })
    expect(ticket.details.endpoint).toBe(`POST /repos/octo/hello/hooks/${hook.id}/pings`)
    await sim.idle()
    expect(receiver.events).toHaveLength(1)
    expect(receiver.refused).toBe(0)
    const guid = receiver.events[0]?.deliveryId ?? ''
    const outcome = await gh.check(ticket, { guid })
    expect(outcome.state).toBe('delivered')
    expect(outcome.delivery).toMatchObject({
      event: 'ping',
      guid,
      status_code: 200,
      redelivery: false,
    })
    expect(outcome.summary).toContain('GitHub delivered the ping')
    expect(outcome.attempts).toEqual([
      expect.objectContaining({ succeeded: true, result: '200 OK' }),
    ])
    // Delivered needs no evidence call.
    expect(requestsTo(sim, 'getDelivery')).toHaveLength(0)
  })

  it('matches on GitHub’s clock (its Date), not this machine’s: a GitHub months behind still delivers', async () => {
    await sim.close()
    const githubNow = Date.UTC(2025, 5, 1, 12, 0, 0)
    sim = await startGitHubSimulator({ rateLimits: 'off', now: () => githubNow })
    const hook = repoHook(receiver.url)
    const gh = tester(hook.id)
    const ticket = await gh.send()
    expect(ticket.details.since).toBe(githubNow - 2_000)
    await sim.idle()
    const outcome = await gh.check(ticket)
    expect(outcome.state).toBe('delivered')
    expect(outcome.delivery?.delivered_at).toBe('2025-06-01T12:00:00Z')
  })
  it('form bodies (GitHub’s default content type) verify and are found the same way', async () => {
    const hook = repoHook(receiver.url, { contentType: 'form' })
    const gh = tester(hook.id)
    const outcome = await waitForOutcome(gh, await gh.send(), { timeoutMs: 10_000 })
    expect(outcome.state).toBe('delivered')
    expect(receiver.events[0]?.contentType).toBe('form')
  })

  it('pending until the delivery shows in the log', async () => {
    await sim.close()
    sim = await startGitHubSimulator({ rateLimits: 'off', logDelayMs: 60_000 })
    const hook = repoHook(receiver.url)
    const gh = tester(hook.id)
    const ticket = await gh.send()
    const outcome = await gh.check(ticket)
    expect(outcome.state).toBe('pending')
    expect(outcome.summary).toContain('can take a few minutes')
  })

  it('a GUID from the receiver matches exactly: another GUID stays pending', async () => {
    const hook = repoHook(receiver.url)
    const gh = tester(hook.id)
    const ticket = await gh.send()
    await sim.idle()
    const other = await gh.check(ticket, { guid: '00000000-0000-0000-0000-000000000000' })
    expect(other.state).toBe('pending')
  })

  it('an earlier ping is not taken for this one; of two later pings the first is this send’s', async () => {
    const hook = repoHook(receiver.url)
    sim.seedDeliveries(hook.id, {
      count: 1,
      event: 'ping',
      statusCode: 500,
      newestAt: Date.now() - 120_000,
    })
    const gh = tester(hook.id)
    const first = await gh.send()
    await sim.idle()
    const second = await gh.send()
    await sim.idle()
    const firstOutcome = await gh.check(first)
    const secondOutcome = await gh.check(second)
    expect(firstOutcome.state).toBe('delivered')
    expect(secondOutcome.state).toBe('delivered')
    expect(firstOutcome.delivery?.guid).toBe(receiver.events[0]?.deliveryId)
  })

  it('failed: the receiver answers 500; status, code, duration and the receiver’s answer as evidence', async () => {
    const failing = createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain', 'x-receiver': 'broken' })
      res.end('database is down')
    })
    const url = await listen(failing)
    try {
      const hook = repoHook(`${url}/hook`)
      const gh = tester(hook.id)
      const outcome = await waitForOutcome(gh, await gh.send(), { timeoutMs: 10_000 })
      expect(outcome.state).toBe('failed')
      expect(outcome.delivery?.status_code).toBe(500)
      expect(outcome.summary).toMatch(/HTTP 500 ".+" after [\d.]+ s/)
      expect(outcome.summary).toContain('The receiver answered: database is down')
      expect(outcome.evidence?.responseHeaders).toContainEqual(
        expect.stringMatching(/^x-receiver: broken$/i),
      )
      expect(requestsTo(sim, 'getDelivery')).toHaveLength(1)
    } finally {
      await closeServer(failing)
    }
  })

  it('failed: the receiver is down (connection refused)', async () => {
    const hook = repoHook(`http://127.0.0.1:${await refusedPort()}/hook`)
    const gh = tester(hook.id)
    const outcome = await waitForOutcome(gh, await gh.send(), { timeoutMs: 10_000 })
    expect(outcome.state).toBe('failed')
    expect(outcome.delivery?.status).not.toBe('OK')
    expect(outcome.summary).toContain('not delivered')
  })

  it('failed: the receiver does not answer within GitHub’s limit', async () => {
    const silent = createServer(() => undefined)
    const url = await listen(silent)
    try {
      const hook = repoHook(`${url}/hook`)
      const gh = tester(hook.id)
      const outcome = await waitForOutcome(gh, await gh.send(), { timeoutMs: 10_000 })
      expect(outcome.state).toBe('failed')
      expect(outcome.delivery?.status).toMatch(/timed out/i)
    } finally {
      await closeServer(silent)
    }
  })

  it('never delivered from a 3xx: GitHub follows no redirect', async () => {
    const redirecting = createServer((_req, res) => {
      res.writeHead(301, { location: 'https://example.invalid/elsewhere' })
      res.end()
    })
    const url = await listen(redirecting)
    try {
      const hook = repoHook(`${url}/hook`)
      const gh = tester(hook.id)
      const outcome = await waitForOutcome(gh, await gh.send(), { timeoutMs: 10_000 })
      expect(outcome.state).toBe('failed')
      expect(outcome.delivery?.status_code).toBe(301)
      expect(outcome.summary).toContain('A redirect is not a delivery')
    } finally {
      await closeServer(redirecting)
    }
  })

  it('organization hooks ping the same way', async () => {
    const hook = sim.createHook({ target: { org: 'acme' }, url: receiver.url, secret: SECRET })
    const gh = createGitHubTester({
      baseUrl: sim.baseUrl,
      target: { org: 'acme', hookId: hook.id },
      auth: { token: sim.credentials.token },
      rateLimits: 'off',
    })
    testers.push(gh)
    const ticket = await gh.send()
    expect(ticket.details.endpoint).toBe(`POST /orgs/acme/hooks/${hook.id}/pings`)
    expect((await waitForOutcome(gh, ticket, { timeoutMs: 10_000 })).state).toBe('delivered')
    expect(receiver.events[0]?.targetType).toBe('organization')
    const push = await rejectionOf(gh.send({ event: 'push' }))
    expect(push.kind).toBe('invalid_input')
    expect(push.message).toContain('only repository hooks have the push test')
  })
})

describe('GitHub push test', () => {
  it('subscribed to push: the push test is delivered', async () => {
    const hook = repoHook(receiver.url, { events: ['push'] })
    const gh = tester(hook.id)
    const ticket = await gh.send({ event: 'push' })
    expect(ticket.details.endpoint).toBe(`POST /repos/octo/hello/hooks/${hook.id}/tests`)
    const outcome = await waitForOutcome(gh, ticket, { timeoutMs: 10_000 })
    expect(outcome.state).toBe('delivered')
    expect(outcome.delivery?.event).toBe('push')
  })

  it('not subscribed to push: GitHub answers 204 and sends nothing, and the outcome says so', async () => {
    const hook = repoHook(receiver.url, { events: ['issues'] })
    const gh = tester(hook.id)
    const ticket = await gh.send({ event: 'push' })
    expect(ticket.details.httpStatus).toBe(204)
    await sim.idle()
    expect(receiver.events).toHaveLength(0)
    const outcome = await gh.check(ticket)
    expect(outcome.state).toBe('pending')
    expect(outcome.summary).toContain('not subscribed to push events')
  })
})

describe('GitHub App hook: redelivery', () => {
  it('send() redelivers the newest delivery and check() finds the redelivery (same GUID, new id)', async () => {
    sim.configureAppHook({ url: receiver.url, secret: SECRET, contentType: 'json' })
    const guid = sim.deliverEvent(sim.appHookId, { event: 'ping' })
    await sim.idle()
    const app = sim.credentials.app
    const gh = createGitHubTester({
      baseUrl: sim.baseUrl,
      target: { app: true },
      auth: { clientId: app.clientId, privateKey: app.privateKeyPem },
      rateLimits: 'off',
    })
    testers.push(gh)
    const ticket = await gh.send()
    expect(ticket.details.kind).toBe('redelivery')
    expect(ticket.details.guid).toBe(guid)
    expect(ticket.details.endpoint).toMatch(/^POST \/app\/hook\/deliveries\/\d+\/attempts$/)
    expect(ticket.details.httpStatus).toBe(202)
    const outcome = await waitForOutcome(gh, ticket, { timeoutMs: 10_000 })
    expect(outcome.state).toBe('delivered')
    expect(outcome.delivery).toMatchObject({ guid, redelivery: true })
    expect(outcome.delivery?.id).not.toBe(ticket.details.redeliveryOf)
    expect(receiver.events.map((e) => e.deliveryId)).toEqual([guid, guid])
  })

  it('an App hook with no delivery yet: not_found, saying GitHub has no App ping', async () => {
    sim.configureAppHook({ url: receiver.url, secret: SECRET })
    const app = sim.credentials.app
    const gh = createGitHubTester({
      baseUrl: sim.baseUrl,
      target: { app: true },
      auth: { appId: app.appId, privateKey: app.privateKeyPem },
    })
    testers.push(gh)
    const error = await rejectionOf(gh.send())
    expect(error.kind).toBe('not_found')
    expect(error.message).toContain('GitHub has no ping for App hooks')
    expect(requestsTo(sim, 'redeliverDelivery')).toHaveLength(0)
  })

  it('repository hook through an App installation: one installation token, cached, reused', async () => {
    const hook = repoHook(receiver.url)
    const app = sim.credentials.app
    const gh = createGitHubTester({
      baseUrl: sim.baseUrl,
      target: { owner: 'octo', repo: 'hello', hookId: hook.id },
      auth: {
        clientId: app.clientId,
        privateKey: app.privateKeyPem,
        installationId: app.installationId,
      },
      rateLimits: 'off',
    })
    testers.push(gh)
    const [a, b] = await Promise.all([gh.send(), gh.send()])
    await sim.idle()
    expect((await gh.check(a)).state).toBe('delivered')
    expect((await gh.check(b)).state).toBe('delivered')
    expect(requestsTo(sim, 'createInstallationAccessToken')).toHaveLength(1)
  })

  it('redeliver(id) on a repository hook: a ticket whose check finds the redelivery', async () => {
    const hook = repoHook(receiver.url)
    const gh = tester(hook.id)
    const first = await waitForOutcome(gh, await gh.send(), { timeoutMs: 10_000 })
    const id = first.delivery?.id ?? ''
    const ticket = await gh.redeliver(id)
    expect(ticket.details).toMatchObject({
      kind: 'redelivery',
      redeliveryOf: id,
      guid: first.delivery?.guid,
    })
    const again = await waitForOutcome(gh, ticket, { timeoutMs: 10_000 })
    expect(again.state).toBe('delivered')
    expect(again.delivery?.redelivery).toBe(true)
    const detail = await gh.getDelivery(again.delivery?.id ?? '')
    expect(detail.request.headers).toMatchObject({ 'X-GitHub-Event': 'ping' })
  })
})

describe('GitHub deliveries log', () => {
  it('lists every page newest first, filters by status, bounds the page size', async () => {
    const hook = repoHook(receiver.url)
    sim.seedDeliveries(hook.id, { count: 130, statusCode: 200 })
    sim.seedDeliveries(hook.id, { count: 5, statusCode: 500 })
    const gh = tester(hook.id)
    const all = []
    for await (const item of gh.listDeliveries()) all.push(item)
    expect(all).toHaveLength(135)
    // Newest first: the simulator orders by id, as ids grow with time.
    const ids = all.map((d) => BigInt(d.id))
    expect([...ids].sort((x, y) => (x < y ? 1 : x > y ? -1 : 0))).toEqual(ids)
    expect(requestsTo(sim, 'listDeliveries').map((r) => r.query)).toContain('per_page=100')
    const failures = []
    for await (const item of gh.listDeliveries({ status: 'failure', perPage: 2 }))
      failures.push(item)
    expect(failures.map((d) => d.status_code)).toEqual([500, 500, 500, 500, 500])
    // Checked where it is given, before any request.
    const bad = thrownBy(() => gh.listDeliveries({ perPage: 101 }))
    expect(bad.kind).toBe('invalid_input')
    expect(bad.message).toContain('perPage: must be a whole number from 1 to 100')
  })
})
