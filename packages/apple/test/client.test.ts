import { decodeProtectedHeader, jwtVerify } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import { AppleApi } from '../src/api-client.js'
import type { AppleEnvironment } from '../src/environment.js'
import { appleRateLimit, applePollIntervalMs, type AppleEndpointName } from '../src/hosts.js'
import { createAppleJwtSigner } from '../src/jwt.js'
import { createAppleRateLimiter, createAppleTester, type AppleTester } from '../src/index.js'
import { BUNDLE_ID, ISSUER_ID, KEY_ID, makeKey, testerOptions } from './helpers/keys.js'
import { sendJson, startLocalServer, type LocalServer } from './helpers/local-server.js'
import { FakeClock } from '@notiprobe/core/testing'
import { rejectionOf } from '@notiprobe/core/testing'

const key = makeKey()
const TOKEN = '0f6b9a44-8d2c-4c1e-9a51-3c3f1d1e2a10_1893456000000'
let server: LocalServer | undefined
const testers: AppleTester[] = []

afterEach(async () => {
  for (const tester of testers.splice(0)) tester.close()
  await server?.close()
  server = undefined
})

function tester(overrides: Partial<Parameters<typeof createAppleTester>[0]> = {}): AppleTester {
  const made = createAppleTester({
    ...testerOptions(key),
    baseUrl: server?.baseUrl,
    rateLimits: 'off',
    ...overrides,
  })
  testers.push(made)
  return made
}

const retryable500 = {
  errorCode: 5000001,
  errorMessage: 'An unknown error occurred. Please try again.',
}
const general500 = { errorCode: 5000000, errorMessage: 'An unknown error occurred.' }

describe('the JWT', () => {
  it('has the header and claims Apple requires, valid for 5 minutes', async () => {
    const clock = new FakeClock({ start: Date.parse('2030-01-01T00:00:00.900Z') })
    const sign = createAppleJwtSigner({
      issuerId: ISSUER_ID,
      keyId: KEY_ID,
      bundleId: BUNDLE_ID,
      privateKey: key.privateKey,
      clock,
    })
    const token = await sign()
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: KEY_ID, typ: 'JWT' })
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ['ES256'],
      currentDate: new Date(clock.now()),
      issuer: ISSUER_ID,
      audience: 'appstoreconnect-v1',
    })
    const iat = Date.parse('2030-01-01T00:00:00Z') / 1000
    expect(payload).toEqual({
      iss: ISSUER_ID,
      iat,
      exp: iat + 300,
      aud: 'appstoreconnect-v1',
      bid: BUNDLE_ID,
    })
  })

  it('is signed afresh for every attempt, and sent as a Bearer token', async () => {
    server = await startLocalServer((_request, res, index) =>
      index === 0
        ? sendJson(res, 500, retryable500)
        : sendJson(res, 200, { testNotificationToken: TOKEN }),
    )
    const clock = new FakeClock()
    const ticket = await tester({ clock, random: () => 0.99, retry: { baseDelayMs: 5000 } }).send()
    expect(ticket).toEqual({
      vendor: 'apple',
      id: TOKEN,
      requestedAt: clock.now(),
      details: { environment: 'Sandbox', bundleId: BUNDLE_ID },
    })
    const tokens = server.received.map(
      (request) => /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1],
    )
    expect(tokens).toHaveLength(2)
    expect(tokens[0]).not.toBe(tokens[1])
    const iats = await Promise.all(
      tokens.map(
        async (token) =>
          (await jwtVerify(token!, key.publicKey, { currentDate: new Date(clock.now()) })).payload
            .iat,
      ),
    )
    expect(iats[1]! - iats[0]!).toBe(4) // the 4 950 ms backoff passed between the two attempts
    expect(server.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /inApps/v1/notifications/test',
      'POST /inApps/v1/notifications/test',
    ])
    expect(server.received[0].headers['user-agent']).toBe('notiprobe/0.1.0')
  })
})

describe('retries', () => {
  it('repeats a send only when Apple says so (5000001), never on 5000000', async () => {
    server = await startLocalServer((_request, res) => sendJson(res, 500, general500))
    const error = await rejectionOf(tester({ clock: new FakeClock() }).send())
    expect(error).toMatchObject({
      kind: 'vendor_error',
      vendorCode: 5000000,
      retryable: false,
      httpStatus: 500,
      operation: 'apple.requestTestNotification',
    })
    expect(server.received).toHaveLength(1)
  })

  it('repeats a read on any 5xx, up to the attempt limit', async () => {
    server = await startLocalServer((_request, res) => sendJson(res, 500, general500))
    const clock = new FakeClock()
    const error = await rejectionOf(
      tester({ clock, retry: { maxAttempts: 3 } }).getTestNotificationStatus(TOKEN),
    )
    expect(error).toMatchObject({ kind: 'vendor_error', vendorCode: 5000000, retryable: true })
    expect(server.received).toHaveLength(3)
    expect(server.received[0].url).toBe(`/inApps/v1/notifications/test/${TOKEN}`)
  })

  it('waits until the epoch-millisecond Retry-After of a 429, then repeats even a send', async () => {
    const clock = new FakeClock()
    server = await startLocalServer((_request, res, index) =>
      index === 0
        ? sendJson(
            res,
            429,
            { errorCode: 4290000, errorMessage: 'Rate limit exceeded.' },
            { 'retry-after': String(clock.now() + 7250) },
          )
        : sendJson(res, 200, { testNotificationToken: TOKEN }),
    )
    await tester({ clock }).send()
    expect(server.received).toHaveLength(2)
    expect(clock.sleeps).toEqual([7250])
  })

  it('gives up when Retry-After is beyond the cap, and says so', async () => {
    const clock = new FakeClock()
    server = await startLocalServer((_request, res) =>
      sendJson(
        res,
        429,
        { errorCode: 4290000, errorMessage: 'Rate limit exceeded.' },
        { 'retry-after': String(clock.now() + 3_600_000) },
      ),
    )
    const error = await rejectionOf(tester({ clock }).send())
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3_600_000, retryable: true })
    expect(error.message).toBe(
      "Requesting the Apple test notification failed: Apple error 4290000 RateLimitExceeded (HTTP 429). Apple's rate limit for this endpoint was exceeded: wait until Retry-After before calling again. Apple asks to wait 3600 s. That wait (3600 s) is longer than the 60 s notiprobe waits for a retry, so it gave up: try again later.",
    )
    expect(server.received).toHaveLength(1)
  })
})

describe('answers', () => {
  it('are checked against Apple’s shapes', async () => {
    server = await startLocalServer((request, res) =>
      request.method === 'POST' ? sendJson(res, 200, { token: 'x' }) : res.end('<html>ok</html>'),
    )
    const t = tester()
    const shape = await rejectionOf(t.send())
    expect(shape).toMatchObject({ kind: 'invalid_response', httpStatus: 200 })
    expect(shape.message).toBe(
      'Requesting the Apple test notification failed: Apple answered HTTP 200 with JSON of an unexpected shape (testNotificationToken: Invalid input: expected string, received undefined).',
    )
    expect((await rejectionOf(t.getTestNotificationStatus(TOKEN))).message).toBe(
      'Getting the Apple test notification status failed: Apple answered HTTP 200 with a body that is not JSON (15 bytes).',
    )
  })

  it('refuse a malformed token before any request', async () => {
    server = await startLocalServer((_request, res) => sendJson(res, 500, general500))
    const error = await rejectionOf(tester().getTestNotificationStatus('../../secret'))
    expect(error).toMatchObject({
      kind: 'invalid_input',
      operation: 'apple.getTestNotificationStatus',
    })
    expect(error.message).toBe(
      'Invalid test notification token: expected the testNotificationToken that send() returned',
    )
    expect(server.received).toHaveLength(0)
  })
})

describe('hosts and rate limits', () => {
  it('send the performance test to Sandbox whatever the environment', () => {
    const api = new AppleApi({
      issuerId: ISSUER_ID,
      keyId: KEY_ID,
      bundleId: BUNDLE_ID,
      privateKey: key.privateKey,
      environment: 'Production',
      rateLimits: 'hourly',
      clock: new FakeClock(),
    })
    expect(api.baseUrlOf('requestTestNotification')).toBe('https://api.storekit.apple.com')
    expect(api.baseUrlOf('getTestNotificationStatus')).toBe('https://api.storekit.apple.com')
    expect(api.baseUrlOf('getNotificationHistory')).toBe('https://api.storekit.apple.com')
    expect(api.baseUrlOf('initiatePerformanceTest')).toBe('https://api.storekit-sandbox.apple.com')
    expect(api.baseUrlOf('getPerformanceTestResults')).toBe(
      'https://api.storekit-sandbox.apple.com',
    )
    api.close()
  })

  it('are Apple’s, with a tenth in Sandbox and the performance test always in Sandbox', () => {
    const strict = (endpoint: AppleEndpointName, environment: AppleEnvironment) =>
      appleRateLimit(endpoint, environment, 'per-second')
    expect(strict('requestTestNotification', 'Production')).toEqual({ perSecond: 1, burst: 1 })
    expect(strict('getTestNotificationStatus', 'Sandbox')).toEqual({ perSecond: 0.1, burst: 1 })
    expect(strict('getNotificationHistory', 'Production')).toEqual({ perSecond: 50, burst: 1 })
    expect(strict('getNotificationHistory', 'Sandbox')).toEqual({ perSecond: 5, burst: 1 })
    expect(strict('initiatePerformanceTest', 'Production')).toEqual({ perSecond: 0.1, burst: 1 })
    expect(strict('getPerformanceTestResults', 'Production')).toEqual({ perSecond: 0.1, burst: 1 })
  })

  it('hourly: a tenth of the hour’s budget at once, the rest refilled evenly over the hour', () => {
    const perHour = (endpoint: AppleEndpointName, environment: AppleEnvironment): number => {
      const { perSecond, burst = 1 } = appleRateLimit(endpoint, environment, 'hourly')
      return Math.round(burst + perSecond * 3600)
    }
    // Apple: 1/s (3 600 an hour), 50/s for history, sandbox 10 %, enforced on an hourly basis.
    expect(perHour('requestTestNotification', 'Production')).toBe(3600)
    expect(perHour('getTestNotificationStatus', 'Production')).toBe(3600)
    expect(perHour('getTestNotificationStatus', 'Sandbox')).toBe(360)
    expect(perHour('getNotificationHistory', 'Production')).toBe(180_000)
    expect(perHour('getNotificationHistory', 'Sandbox')).toBe(18_000)
    expect(perHour('initiatePerformanceTest', 'Production')).toBe(360)
    expect(perHour('getPerformanceTestResults', 'Sandbox')).toBe(360)
    expect(appleRateLimit('getTestNotificationStatus', 'Sandbox', 'hourly').burst).toBe(36)
  })

  it('poll a second apart with hourly budgets, 10 s in Sandbox per second, 250 ms with none', () => {
    expect(applePollIntervalMs('getTestNotificationStatus', 'Sandbox', 'hourly')).toBe(1000)
    expect(applePollIntervalMs('getTestNotificationStatus', 'Production', 'hourly')).toBe(1000)
    expect(applePollIntervalMs('getPerformanceTestResults', 'Production', 'hourly')).toBe(1000)
    expect(applePollIntervalMs('getTestNotificationStatus', 'Sandbox', 'per-second')).toBe(10_000)
    expect(applePollIntervalMs('getTestNotificationStatus', 'Production', 'per-second')).toBe(1000)
    expect(applePollIntervalMs('getPerformanceTestResults', 'Production', 'per-second')).toBe(
      10_000,
    )
    expect(applePollIntervalMs('getTestNotificationStatus', 'Sandbox', 'off')).toBe(250)
  })

  it('per second: space calls per endpoint, shared by testers given the same limiter', async () => {
    server = await startLocalServer((_request, res) =>
      sendJson(res, 200, { testNotificationToken: TOKEN }),
    )
    const clock = new FakeClock()
    const rateLimiter = createAppleRateLimiter({ clock })
    const first = tester({ clock, rateLimits: 'per-second', rateLimiter })
    const second = tester({ clock, rateLimits: 'per-second', rateLimiter })
    await first.send()
    await second.send()
    await first.send()
    expect(clock.sleeps).toEqual([10_000, 10_000])
    const production = tester({
      clock,
      rateLimits: 'per-second',
      rateLimiter,
      environment: 'Production',
      appAppleId: 1,
    })
    await production.send()
    await production.send()
    expect(clock.sleeps).toEqual([10_000, 10_000, 1000])
  })

  it('share no budget between testers unless given the same limiter', async () => {
    server = await startLocalServer((_request, res) =>
      sendJson(res, 200, { testNotificationToken: TOKEN }),
    )
    const clock = new FakeClock()
    const first = tester({ clock, rateLimits: 'per-second' })
    const second = tester({ clock, rateLimits: 'per-second' })
    await first.send()
    await second.send()
    expect(clock.sleeps).toEqual([])
    await first.send()
    expect(clock.sleeps).toEqual([10_000])
  })

  it('hourly: Sandbox sends burst 36 at once, then one per 11.1 s (the rest of the hour’s budget)', async () => {
    server = await startLocalServer((_request, res) =>
      sendJson(res, 200, { testNotificationToken: TOKEN }),
    )
    const clock = new FakeClock()
    const sandbox = tester({ clock, rateLimits: 'hourly' })
    for (let i = 0; i < 36; i++) await sandbox.send()
    expect(clock.sleeps).toEqual([])
    await sandbox.send()
    await sandbox.send()
    // (360 − 36) tokens refilled over 3 600 s: one per 11 111.1 ms.
    expect(clock.sleeps).toEqual([11_112, 11_111])
    expect(server.received).toHaveLength(38)
  })
})
