import type { ErrorKind } from '@notiprobe/core'
import { createGitHubTester, type GitHubTester, type GitHubTesterOptions } from '@notiprobe/github'
import { rejectionOf, startMisbehavingVendor, type FakeClock } from '@notiprobe/core/testing'
import { startGitHubSimulator, type GitHubSimulator } from '@notiprobe/simulator'
import { afterEach, describe, expect, it } from 'vitest'
import {
  SECRET,
  repoTester,
  requestsTo,
  sharedClock,
  startReceiver,
  type Receiver,
} from './github-helpers.js'

let sim: GitHubSimulator | undefined
let receiver: Receiver | undefined
const testers: GitHubTester[] = []
const closers: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const tester of testers.splice(0)) tester.close()
  for (const close of closers.splice(0)) await close()
  await sim?.close()
  await receiver?.close()
  sim = undefined
  receiver = undefined
})

async function setUp(simOptions: Parameters<typeof startGitHubSimulator>[0] = {}) {
  sim = await startGitHubSimulator({ rateLimits: 'off', ...simOptions })
  receiver = await startReceiver()
  const hook = sim.createHook({
    target: { owner: 'octo', repo: 'hello' },
    url: receiver.url,
    secret: SECRET,
  })
  return { sim, hook }
}

function track(tester: GitHubTester): GitHubTester {
  testers.push(tester)
  return tester
}

/** A tester against a scripted GitHub: for answers the simulator never gives to a well-behaved client. */
async function scripted(status: number, body: unknown, extra: Partial<GitHubTesterOptions> = {}) {
  const vendor = await startMisbehavingVendor([{ status, body: JSON.stringify(body) }])
  closers.push(() => vendor.close())
  const tester = track(
    createGitHubTester({
      baseUrl: vendor.baseUrl,
      target: { owner: 'octo', repo: 'hello', hookId: 1 },
      auth: { token: 'ghp_scriptedToken0123456789' },
      ...extra,
    }),
  )
  return { vendor, tester }
}

describe('GitHub errors, each with its kind', () => {
  it('401: a bad token is an auth error, not retried', async () => {
    const { hook } = await setUp()
    const gh = track(
      createGitHubTester({
        baseUrl: sim!.baseUrl,
        target: { owner: 'octo', repo: 'hello', hookId: hook.id },
        auth: { token: 'github_pat_not_a_real_token_000' },
      }),
    )
    const error = await rejectionOf(gh.send())
    expect(error).toMatchObject({ kind: 'auth', httpStatus: 401, operation: 'github.ping' })
    expect(error.message).toMatch(
      /^Pinging the GitHub webhook failed: GitHub refused the credentials \(HTTP 401\)/,
    )
    expect(requestsTo(sim!, 'pingHook')).toHaveLength(1)
  })

  it('401 on an App: a new JWT is tried once, then auth', async () => {
    await setUp()
    const other = await startGitHubSimulator()
    closers.push(() => other.close())
    // The right client id with another App's key: GitHub cannot verify the JWT.
    const gh = track(
      createGitHubTester({
        baseUrl: sim!.baseUrl,
        target: { app: true },
        auth: {
          clientId: sim!.credentials.app.clientId,
          privateKey: (await otherKey()).privateKeyPem,
        },
      }),
    )
    const error = await rejectionOf(gh.getDelivery(1))
    expect(error).toMatchObject({ kind: 'auth', httpStatus: 401 })
    expect(error.message).toContain('clientId or appId belongs to the private key')
    expect(requestsTo(sim!, 'getDelivery')).toHaveLength(2)
  })

  it('404: a token that cannot see the hook; the message names the permission', async () => {
    const { hook } = await setUp()
    const token = sim!.createToken({ permissions: {} })
    const gh = track(repoTester(sim!, hook.id, { auth: { token } }))
    const error = await rejectionOf(gh.send())
    expect(error).toMatchObject({ kind: 'not_found', httpStatus: 404 })
    expect(error.message).toContain('not found, or your token cannot see it')
    expect(error.message).toContain('the repository permission "Webhooks" (read)')
    expect(error.message).toContain('admin:repo_hook')
  })

  it('403: a read-only token asked to redeliver; the message says what GitHub asks for', async () => {
    const { hook } = await setUp()
    const token = sim!.createToken({ permissions: { repository_hooks: 'read' } })
    const gh = track(repoTester(sim!, hook.id, { auth: { token } }))
    const [delivery] = sim!.seedDeliveries(hook.id, { count: 1 })
    const error = await rejectionOf(gh.redeliver(delivery.id))
    expect(error).toMatchObject({
      kind: 'forbidden',
      httpStatus: 403,
      operation: 'github.redeliver',
    })
    expect(error.message).toContain('repository_hooks=write')
    expect(requestsTo(sim!, 'redeliverDelivery')).toHaveLength(1)
  })

  it('422: GitHub refuses the request as invalid (a redelivery past retention)', async () => {
    const { hook } = await setUp({ expiredRedeliveryStatus: 422 })
    const gh = track(repoTester(sim!, hook.id))
    const [old] = sim!.seedDeliveries(hook.id, { count: 1, newestAt: Date.now() - 4 * 86_400_000 })
    // Straight to the attempt: getDelivery of an expired delivery is 404 before.
    const error = await rejectionOf(gh.getDelivery(old.id))
    expect(error.kind).toBe('not_found')
    const { tester } = await scripted(422, {
      message: 'Validation Failed',
      errors: [{ resource: 'Hook', code: 'custom', message: 'Hook is not active' }],
      documentation_url: 'https://docs.github.com/rest',
    })
    const invalid = await rejectionOf(tester.send())
    expect(invalid).toMatchObject({ kind: 'invalid_input', httpStatus: 422, vendorCode: 'custom' })
    expect(invalid.message).toContain('Hook is not active')
  })

  it('400 for an API version this GitHub does not speak: config, naming apiVersion', async () => {
    const { tester, vendor } = await scripted(
      400,
      {
        message: "Unsupported 'X-GitHub-Api-Version' header value: 2026-03-10",
        documentation_url: 'x',
      },
      { apiVersion: '2026-03-10' },
    )
    const error = await rejectionOf(tester.send())
    expect(error).toMatchObject({ kind: 'config', httpStatus: 400 })
    expect(error.message).toContain('set apiVersion to 2022-11-28')
    expect(vendor.received[0]?.headers['x-github-api-version']).toBe('2026-03-10')
    expect(vendor.received[0]?.headers.accept).toBe('application/vnd.github+json')
    expect(vendor.received[0]?.headers['user-agent']).toMatch(/^notiprobe\//)
  })

  it('5xx on a ping is not retried (it may have been sent); on a read it is', async () => {
    const { hook } = await setUp()
    const gh = track(repoTester(sim!, hook.id, { retry: { baseDelayMs: 0 } }))
    sim!.faults.set('pingHook', { kind: 'status', status: 502, times: 1 })
    const error = await rejectionOf(gh.send())
    expect(error).toMatchObject({ kind: 'vendor_error', httpStatus: 502 })
    expect(requestsTo(sim!, 'pingHook')).toHaveLength(1)
    sim!.faults.set('listDeliveries', { kind: 'status', status: 502, times: 1 })
    const listed = []
    for await (const item of gh.listDeliveries()) listed.push(item)
    expect(requestsTo(sim!, 'listDeliveries')).toHaveLength(2)
  })
})

describe('GitHub rate limits', () => {
  function limited(clock: FakeClock, hookId: number, extra: Partial<GitHubTesterOptions> = {}) {
    return track(repoTester(sim!, hookId, { clock, rateLimits: 'vendor', ...extra }))
  }

  it('primary: x-ratelimit-remaining 0 past the deadline fails fast as rate_limited', async () => {
    const clock = sharedClock()
    const { hook } = await setUp({
      rateLimits: 'vendor',
      primaryRateLimit: 1,
      now: () => clock.now(),
    })
    const gh = limited(clock, hook.id)
    await gh.send()
    const error = await rejectionOf(gh.send())
    expect(error).toMatchObject({
      kind: 'rate_limited',
      vendorCode: 'primary_rate_limit',
      retryable: true,
    })
    expect(error.retryAfterMs).toBeGreaterThan(3_500_000)
    expect(requestsTo(sim!, 'pingHook')).toHaveLength(2)
    await sim!.idle()
    expect(sim!.deliveries(hook.id)).toHaveLength(1)
  })

  it('primary: waits until x-ratelimit-reset when the deadline allows, then sends once', async () => {
    const clock = sharedClock()
    const { hook } = await setUp({
      rateLimits: 'vendor',
      primaryRateLimit: 1,
      now: () => clock.now(),
    })
    const gh = limited(clock, hook.id, {
      timeoutMs: 7_200_000,
      retry: { maxRetryAfterMs: 7_200_000 },
    })
    await gh.send()
    await gh.send()
    expect(Math.max(...clock.sleeps)).toBeGreaterThan(3_500_000)
    expect(requestsTo(sim!, 'pingHook').map((r) => r.status)).toEqual([204, 403, 204])
    await sim!.idle()
    expect(sim!.deliveries(hook.id)).toHaveLength(2)
  })

  it('secondary with retry-after: waited out, the ping then sent once', async () => {
    const clock = sharedClock()
    const { hook } = await setUp({ now: () => clock.now() })
    const gh = limited(clock, hook.id, { timeoutMs: 120_000 })
    sim!.faults.set('pingHook', { kind: 'rateLimit', times: 1 })
    await gh.send()
    expect(clock.sleeps).toContain(60_000)
    expect(requestsTo(sim!, 'pingHook').map((r) => r.status)).toEqual([403, 204])
  })

  it('secondary without retry-after: at least a minute, so a 30 s deadline fails fast', async () => {
    const clock = sharedClock()
    const { hook } = await setUp({ now: () => clock.now(), secondaryRetryAfterSeconds: null })
    const gh = limited(clock, hook.id)
    sim!.faults.set('pingHook', { kind: 'rateLimit', times: 1 })
    const error = await rejectionOf(gh.send())
    expect(error).toMatchObject({
      kind: 'rate_limited',
      vendorCode: 'secondary_rate_limit',
      retryAfterMs: 60_000,
    })
    expect(requestsTo(sim!, 'pingHook')).toHaveLength(1)
  })

  it('primary 403: later sends on the tester hold back until x-ratelimit-reset, sending nothing', async () => {
    const clock = sharedClock()
    const { hook } = await setUp({
      rateLimits: 'vendor',
      primaryRateLimit: 1,
      now: () => clock.now(),
    })
    const gh = limited(clock, hook.id)
    await gh.send()
    const first = await rejectionOf(gh.send())
    expect(first).toMatchObject({ kind: 'rate_limited', httpStatus: 403 })
    const later = await rejectionOf(gh.send())
    expect(later).toMatchObject({ kind: 'rate_limited', retryable: true })
    expect(later.retryAfterMs).toBeGreaterThan(3_500_000)
    expect(later.message).toContain('was not sent')
    // GitHub saw the 403'd ping and nothing after it: continuing while limited risks a ban.
    expect(requestsTo(sim!, 'pingHook').map((r) => r.status)).toEqual([204, 403])
  })

  it('secondary 403 without retry-after: the next send holds back the minute too', async () => {
    const clock = sharedClock()
    const { hook } = await setUp({ now: () => clock.now(), secondaryRetryAfterSeconds: null })
    const gh = limited(clock, hook.id)
    sim!.faults.set('pingHook', { kind: 'rateLimit', times: 1 })
    await rejectionOf(gh.send())
    clock.advance(10_000)
    const later = await rejectionOf(gh.send())
    expect(later).toMatchObject({ kind: 'rate_limited', retryAfterMs: 50_000 })
    expect(requestsTo(sim!, 'pingHook')).toHaveLength(1)
  })

  it('a rate-limited read holds the sends back too: the limit covers every call', async () => {
    const clock = sharedClock()
    const { hook } = await setUp({ now: () => clock.now() })
    const gh = limited(clock, hook.id)
    sim!.faults.set('listDeliveries', { kind: 'rateLimit', times: 1 })
    const listed: unknown[] = []
    const read = await rejectionOf(
      (async () => {
        for await (const item of gh.listDeliveries()) listed.push(item)
      })(),
    )
    expect(read).toMatchObject({ kind: 'rate_limited', httpStatus: 403 })
    const later = await rejectionOf(gh.send())
    expect(later).toMatchObject({ kind: 'rate_limited', retryable: true })
    expect(later.message).toContain('was not sent')
    expect(requestsTo(sim!, 'pingHook')).toHaveLength(0)
  })

  it('writes go at least a second apart', async () => {
    const clock = sharedClock()
    const { hook } = await setUp({ now: () => clock.now() })
    const gh = limited(clock, hook.id)
    await gh.send()
    await gh.send()
    expect(clock.sleeps).toContain(1000)
  })
})

describe('a ping is a send: never repeated once it may have reached GitHub', () => {
  it('the answer is lost after GitHub acted: one ping, one delivery, a network error that says so', async () => {
    const { hook } = await setUp()
    const gh = track(repoTester(sim!, hook.id, { retry: { baseDelayMs: 0 } }))
    sim!.loseAnswer('pingHook')
    const error = await rejectionOf(gh.send())
    expect(error.kind).toBe('network')
    expect(error.message).toContain(
      'it was not repeated so that no duplicate test notification is sent',
    )
    await sim!.idle()
    expect(requestsTo(sim!, 'pingHook')).toHaveLength(1)
    expect(sim!.deliveries(hook.id)).toHaveLength(1)
    expect(receiver!.events).toHaveLength(1)
  })

  it('a lost redelivery answer is not repeated either', async () => {
    const { hook } = await setUp()
    const gh = track(repoTester(sim!, hook.id, { retry: { baseDelayMs: 0 } }))
    const [seeded] = sim!.seedDeliveries(hook.id, { count: 1, event: 'ping' })
    sim!.loseAnswer('redeliverDelivery')
    const error = await rejectionOf(gh.redeliver(seeded.id))
    expect(error.kind).toBe('network')
    expect(requestsTo(sim!, 'redeliverDelivery')).toHaveLength(1)
  })

  it('a lost answer to a read is retried', async () => {
    const { hook } = await setUp()
    const gh = track(repoTester(sim!, hook.id, { retry: { baseDelayMs: 0 } }))
    sim!.loseAnswer('listDeliveries')
    await drain(gh.listDeliveries())
    expect(requestsTo(sim!, 'listDeliveries')).toHaveLength(2)
  })
})

async function otherKey() {
  const { generateKeyPairSync } = await import('node:crypto')
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() }
}

export type { ErrorKind }

/** Every item of an iterator (Array.fromAsync needs Node 22). */
async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}
