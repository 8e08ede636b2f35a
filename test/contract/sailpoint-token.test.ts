import { createServer } from 'node:net'
import { createSailPointTester, type SailPointTester } from '@notiprobe/sailpoint'
import {
  startSailPointSimulator,
  type SailPointSimulator,
  type SailPointSimulatorOptions,
} from '@notiprobe/simulator'
import { afterEach, describe, expect, it } from 'vitest'
import { WORK_ITEM, manualClock, rejectionOf, requestsTo, simOptions } from './sailpoint-helpers.js'
import type { FakeClock } from '@notiprobe/core/testing'

let sim: SailPointSimulator
let tester: SailPointTester
let time: FakeClock

async function setUp(
  simulator: Omit<SailPointSimulatorOptions, 'now'> = {},
  options: Parameters<typeof simOptions>[1] = {},
  simulatorNow?: () => number,
): Promise<void> {
  time = manualClock()
  sim = await startSailPointSimulator({ ...simulator, now: simulatorNow ?? time.now })
  tester = createSailPointTester(simOptions(sim, { clock: time, random: () => 0.5, ...options }))
}

afterEach(async () => {
  tester.close()
  await sim.close()
})

describe('access token cache', () => {
  it('many sends make one token request, credentials in the form body', async () => {
    await setUp()
    for (let i = 0; i < 10; i++) await tester.send(WORK_ITEM)
    await tester.listTemplates()
    expect(sim.tokensIssued).toBe(1)
    expect(sim.inspect().tokenGrants).toMatchObject([
      { clientId: sim.credentials.clientId, credentialSource: 'body', scopes: ['sp:scopes:all'] },
    ])
    expect(sim.outbox).toHaveLength(10)
  })

  it('twenty concurrent sends share one token request', async () => {
    await setUp()
    await Promise.all(Array.from({ length: 20 }, () => tester.send(WORK_ITEM)))
    expect(sim.tokensIssued).toBe(1)
    expect(requestsTo(sim, 'token')).toHaveLength(1)
    expect(sim.outbox).toHaveLength(20)
    expect(time.sleeps).toEqual([])
  })

  it('renews the token shortly before it expires (60 s early for a 749 s token)', async () => {
    await setUp()
    await tester.send(WORK_ITEM)
    time.advance(688_999)
    await tester.send(WORK_ITEM)
    expect(sim.tokensIssued).toBe(1)
    time.advance(1)
    await tester.send(WORK_ITEM)
    expect(sim.tokensIssued).toBe(2)
    expect(requestsTo(sim, 'sendTestNotification').map((r) => r.status)).toEqual([204, 204, 204])
  })

  it('renews a short-lived token after 90 % of its life', async () => {
    await setUp({ tokenLifetimeSeconds: 5 })
    await tester.send(WORK_ITEM)
    time.advance(4_499)
    await tester.send(WORK_ITEM)
    expect(sim.tokensIssued).toBe(1)
    time.advance(1)
    await tester.send(WORK_ITEM)
    expect(sim.tokensIssued).toBe(2)
  })

  it('replaces a token SailPoint already considers expired (clocks apart): one 401, then success', async () => {
    // SailPoint's clock runs 700 s ahead of ours: our cached token is already expired there.
    let skew = 0
    await setUp({}, {}, () => time.now() + skew)
    await tester.send(WORK_ITEM)
    skew = 750_000
    await tester.send(WORK_ITEM)
    expect(sim.tokensIssued).toBe(2)
    expect(requestsTo(sim, 'sendTestNotification').map((r) => r.status)).toEqual([204, 401, 204])
    expect(sim.outbox).toHaveLength(2)
  })
})

describe('401 from the API', () => {
  it('one 401 (revoked token) is recovered from with a fresh token', async () => {
    await setUp()
    await tester.send(WORK_ITEM)
    sim.revokeTokens()
    const ticket = await tester.send(WORK_ITEM)
    expect(ticket.details.httpStatus).toBe(204)
    expect(sim.tokensIssued).toBe(2)
    expect(requestsTo(sim, 'sendTestNotification').map((r) => r.status)).toEqual([204, 401, 204])
    expect(sim.outbox).toHaveLength(2)
  })

  it('twenty concurrent calls refused with 401 share one new token', async () => {
    await setUp()
    await tester.send(WORK_ITEM)
    sim.revokeTokens()
    await Promise.all(Array.from({ length: 20 }, () => tester.send(WORK_ITEM)))
    expect(sim.tokensIssued).toBe(2)
    expect(sim.outbox).toHaveLength(21)
  })

  it('a second 401 is an auth error saying what to check', async () => {
    await setUp()
    sim.faults.set('sendTestNotification', { kind: 'status', status: 401, times: 2 })
    const error = await rejectionOf(tester.send(WORK_ITEM))
    expect([error.kind, error.httpStatus, error.retryable]).toEqual(['auth', 401, false])
    expect(error.message).toBe(
      'Sending the SailPoint test notification failed: SailPoint answered HTTP 401: JWT validation failed: JWT is expired. SailPoint refused the access token. Check clientId and clientSecret, that the personal access token has not expired or been deleted, and that tenant (or baseUrl) is the tenant the credentials belong to. notiprobe fetched a new access token and SailPoint refused that one too.',
    )
    expect(sim.tokensIssued).toBe(2)
    expect(requestsTo(sim, 'sendTestNotification')).toHaveLength(2)
    expect(sim.outbox).toEqual([])
  })
})

describe('token endpoint failures', () => {
  it('bad client credentials: auth', async () => {
    await setUp({}, { clientSecret: 'not-the-right-secret-42' })
    const error = await rejectionOf(tester.send(WORK_ITEM))
    expect([error.kind, error.httpStatus, error.vendorCode, error.operation]).toEqual([
      'auth',
      401,
      'invalid_client',
      'sailpoint.fetchAccessToken',
    ])
    expect(error.message).toBe(
      'Fetching a SailPoint access token failed: SailPoint answered HTTP 401: invalid_client: Bad client credentials. The token endpoint refused the client credentials. Check clientId and clientSecret (SAIL_CLIENT_ID, SAIL_CLIENT_SECRET), that the personal access token has not expired or been deleted, and that tenant (or baseUrl) is the tenant the credentials belong to.',
    )
    expect(requestsTo(sim, 'token')).toHaveLength(1)
    expect(requestsTo(sim, 'sendTestNotification')).toHaveLength(0)
  })

  it('429: honours Retry-After, then gets the token', async () => {
    await setUp()
    sim.faults.set('token', { kind: 'rateLimit', times: 1 })
    await tester.send(WORK_ITEM)
    expect(time.sleeps).toEqual([1000])
    expect(requestsTo(sim, 'token').map((r) => r.status)).toEqual([429, 200])
    expect(sim.outbox).toHaveLength(1)
  })

  it('5xx and dropped connections: retried, since fetching a token is a read', async () => {
    await setUp()
    sim.faults.set('token', { kind: 'status', status: 500, times: 1 })
    await tester.listTemplates()
    tester.close()
    tester = createSailPointTester(simOptions(sim, { clock: time, random: () => 0.5 }))
    sim.faults.set('token', { kind: 'drop', times: 1 })
    await tester.send(WORK_ITEM)
    expect(requestsTo(sim, 'token').map((r) => r.status ?? r.outcome)).toEqual([
      500,
      200,
      'dropped',
      200,
    ])
  })

  it('5xx that persists: vendor_error after the retries', async () => {
    await setUp()
    sim.faults.set('token', { kind: 'status', status: 503 })
    const error = await rejectionOf(tester.send(WORK_ITEM))
    expect([error.kind, error.httpStatus, error.operation]).toEqual([
      'vendor_error',
      503,
      'sailpoint.fetchAccessToken',
    ])
    expect(requestsTo(sim, 'token')).toHaveLength(4)
    expect(time.sleeps).toEqual([100, 200, 400])
  })

  it('404 at the token URL: config, naming the URL and its host', async () => {
    await setUp()
    tester.close()
    tester = createSailPointTester({
      ...sim.credentials,
      baseUrl: `${sim.baseUrl}/tenant-a`,
      clock: time,
    })
    const error = await rejectionOf(tester.send(WORK_ITEM))
    expect([error.kind, error.httpStatus]).toEqual(['config', 404])
    expect(error.message).toBe(
      `Fetching a SailPoint access token failed: SailPoint answered HTTP 404 (404 Not found): Nothing is served at POST /tenant-a/oauth/token. There is no OAuth token endpoint at ${sim.baseUrl}/tenant-a/oauth/token (host ${new URL(sim.baseUrl).host}): check tenant (or baseUrl) and tokenUrl. Tracking id: ${error.requestId ?? ''}.`,
    )
  })

  it('a refused token URL: network, naming the host', async () => {
    await setUp()
    const closed = await unusedPort()
    tester.close()
    tester = createSailPointTester({
      ...sim.credentials,
      baseUrl: `http://127.0.0.1:${closed}`,
      clock: time,
      random: () => 0.5,
    })
    const error = await rejectionOf(tester.send(WORK_ITEM))
    expect([error.kind, error.retryable]).toEqual(['network', true])
    expect(error.operation).toBe('sailpoint.fetchAccessToken')
    expect(error.message).toBe(
      `Fetching a SailPoint access token failed: the connection was refused (ECONNREFUSED) talking to 127.0.0.1:${closed}. Check tenant (or baseUrl) and tokenUrl: the token URL http://127.0.0.1:${closed}/oauth/token cannot be reached.`,
    )
    // Connection refused means nothing left: retried with backoff before giving up.
    expect(time.sleeps).toEqual([100, 200, 400])
  })

  it('a 200 that is not a token: invalid_response', async () => {
    await setUp()
    sim.faults.set('token', { kind: 'malformed', malformed: 'invalid-json', status: 200, times: 1 })
    const error = await rejectionOf(tester.send(WORK_ITEM))
    expect(error.kind).toBe('invalid_response')
    expect(error.operation).toBe('sailpoint.fetchAccessToken')
    expect(error.message).toMatch(
      /^Fetching a SailPoint access token failed: the token endpoint at 127\.0\.0\.1:\d+ did not answer with a usable OAuth token \(.+\)\. Check tokenUrl \(now http:\/\/127\.0\.0\.1:\d+\/oauth\/token\)\.$/,
    )
    expect(sim.outbox).toEqual([])
  })

  it('a slow token endpoint: the call times out, saying nothing was sent', async () => {
    await setUp({}, { timeoutMs: 2_000 })
    sim.faults.set('token', { kind: 'latency', latencyMs: 1_500, times: 1 })
    const error = await rejectionOf(tester.send({ ...WORK_ITEM, timeoutMs: 100 }))
    expect(error.kind).toBe('timeout')
    expect(error.message).toBe(
      `Sending the SailPoint test notification did not finish within 100 ms: no access token came from ${new URL(sim.baseUrl).host} in time. Nothing was sent. Raise timeoutMs or try again later.`,
    )
    expect(requestsTo(sim, 'sendTestNotification')).toHaveLength(0)
  })
})

/** A loopback port nothing listens on. */
async function unusedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}
