import { NotificationTestError, waitForOutcome } from '@notiprobe/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createAppleTester, type AppleTester } from '../src/index.js'
import { makeChain, signPayload, testNotification } from './helpers/certificates.js'
import { APPLE_FIXTURE, FIXTURE_BUNDLE_ID } from './helpers/fixture.js'
import { makeKey, testerOptions } from './helpers/keys.js'
import { sendJson, startLocalServer, type LocalServer } from './helpers/local-server.js'
import { FakeClock } from '@notiprobe/core/testing'

const TOKEN = '0f6b9a44-8d2c-4c1e-9a51-3c3f1d1e2a10_1757035472000'
const ATTEMPT = 1757035473000
let server: LocalServer | undefined
let tester: AppleTester | undefined

afterEach(async () => {
  tester?.close()
  await server?.close()
  server = undefined
})

/** A tester for the app of the real Apple fixture, talking to a server that answers `answers` in turn. */
async function testerAnswering(
  answers: readonly (readonly [number, unknown])[],
  overrides = {},
): Promise<AppleTester> {
  server = await startLocalServer((_request, res, index) => {
    const [status, body] = answers[Math.min(index, answers.length - 1)]
    sendJson(res, status, body)
  })
  tester = createAppleTester({
    ...testerOptions(makeKey()),
    bundleId: FIXTURE_BUNDLE_ID,
    baseUrl: server.baseUrl,
    rateLimits: 'off',
    ...overrides,
  })
  return tester
}

const ticket = {
  vendor: 'apple',
  id: TOKEN,
  requestedAt: ATTEMPT - 1000,
  details: { environment: 'Sandbox', bundleId: FIXTURE_BUNDLE_ID },
} as const
const notYet = [
  404,
  {
    errorCode: 4040008,
    errorMessage:
      'Either the test notification token is expired or the notification and status are not yet available.',
  },
] as const
const status = (results: string[], signedPayload = APPLE_FIXTURE) =>
  [
    200,
    {
      signedPayload,
      sendAttempts: results.map((sendAttemptResult, i) => ({
        attemptDate: ATTEMPT + i * 1000,
        sendAttemptResult,
      })),
    },
  ] as const

describe('check', () => {
  it('is pending while Apple answers 4040008', async () => {
    const t = await testerAnswering([notYet])
    const outcome = await t.check(ticket)
    expect(outcome).toMatchObject({
      vendor: 'apple',
      ticket,
      state: 'pending',
      attempts: [],
      warnings: [],
      raw: { errorCode: 4040008, errorMessage: notYet[1].errorMessage },
    })
    expect(outcome.summary).toBe(
      'Apple has not recorded a delivery attempt yet (error 4040008); checking again in 1 s keeps within its rate limit.',
    )
  })

  it('is delivered for a SUCCESS attempt whose signed payload verifies, with the decoded notification', async () => {
    const t = await testerAnswering([status(['SUCCESS'])])
    const outcome = await t.check(ticket)
    expect(outcome.state).toBe('delivered')
    expect(outcome.attempts).toEqual([{ attemptedAt: ATTEMPT, result: 'SUCCESS', succeeded: true }])
    expect(outcome.notification).toMatchObject({
      notificationType: 'TEST',
      notificationUUID: '592751ef-c1b8-47fc-929e-d62dee66df4c',
    })
    expect(outcome.raw).toEqual(status(['SUCCESS'])[1])
    expect(outcome.summary).toBe(
      "Delivered: Apple's TEST notification 592751ef-c1b8-47fc-929e-d62dee66df4c reached your server at 2025-09-05T01:24:33.000Z (attempt 1 at 2025-09-05T01:24:33.000Z: SUCCESS, your server answered with an HTTP status from 200 to 206); its signed payload verified for com.loki-project.loki-messenger in Sandbox.",
    )
  })

  it('is failed when no attempt succeeded, keeping every attempt and unknown result codes', async () => {
    const t = await testerAnswering([
      status(['TIMED_OUT', 'UNSUCCESSFUL_HTTP_RESPONSE_CODE', 'A_FUTURE_RESULT']),
    ])
    const outcome = await t.check(ticket)
    expect(outcome.state).toBe('failed')
    expect(outcome.notification).toBeUndefined()
    expect(outcome.attempts).toEqual([
      { attemptedAt: ATTEMPT, result: 'TIMED_OUT', succeeded: false },
      { attemptedAt: ATTEMPT + 1000, result: 'UNSUCCESSFUL_HTTP_RESPONSE_CODE', succeeded: false },
      { attemptedAt: ATTEMPT + 2000, result: 'A_FUTURE_RESULT', succeeded: false },
    ])
    expect(outcome.summary).toBe(
      'Not delivered: Apple tried 3 times and your server did not acknowledge it (attempt 1 at 2025-09-05T01:24:33.000Z: TIMED_OUT, your server did not answer in time; attempt 2 at 2025-09-05T01:24:34.000Z: UNSUCCESSFUL_HTTP_RESPONSE_CODE, your server answered with a status outside 200 to 206; attempt 3 at 2025-09-05T01:24:35.000Z: A_FUTURE_RESULT, a result code notiprobe does not know yet). Check that the App Store Server Notifications URL set in App Store Connect for Sandbox is reachable over HTTPS with a valid certificate and answers an HTTP status from 200 to 206 within a few seconds.',
    )
  })

  it('is failed, with the reason, when Apple says SUCCESS but the payload does not verify', async () => {
    const tampered =
      APPLE_FIXTURE.slice(0, -2) +
      (APPLE_FIXTURE.at(-2) === 'A' ? 'B' : 'A') +
      APPLE_FIXTURE.at(-1)!
    const t = await testerAnswering([status(['SUCCESS'], tampered)])
    const outcome = await t.check(ticket)
    expect(outcome.state).toBe('failed')
    expect(outcome.verificationError).toBeInstanceOf(NotificationTestError)
    expect(outcome.verificationError?.kind).toBe('verification')
    expect(outcome.summary).toMatch(
      /^Not confirmed: Apple reports a successful delivery \(attempt 1 at .*\), but the signed payload it returned is not valid evidence\. Signed payload rejected: /,
    )
  })

  it('is failed when a verified payload is not a TEST notification', async () => {
    const chain = makeChain()
    const payload = await signPayload(
      testNotification({ notificationType: 'DID_RENEW' }, { bundleId: FIXTURE_BUNDLE_ID }),
      chain.leaf.privateKey,
      [chain.leaf, chain.intermediate, chain.root],
    )
    const t = await testerAnswering([status(['SUCCESS'], payload)], {
      rootCertificates: [chain.root.pem],
    })
    const outcome = await t.check(ticket)
    expect(outcome.state).toBe('failed')
    expect(outcome.summary).toContain(
      'Signed payload rejected: its notificationType is "DID_RENEW", not TEST.',
    )
  })

  it('reads the deprecated firstSendAttemptResult when there is nothing else', async () => {
    const t = await testerAnswering([
      [200, { signedPayload: APPLE_FIXTURE, firstSendAttemptResult: 'SUCCESS' }],
    ])
    const outcome = await t.check(ticket)
    expect(outcome.state).toBe('delivered')
    expect(outcome.attempts).toEqual([
      { attemptedAt: ticket.requestedAt, result: 'SUCCESS', succeeded: true },
    ])
  })

  it('stays pending while Apple lists no attempt', async () => {
    const t = await testerAnswering([[200, { signedPayload: APPLE_FIXTURE, sendAttempts: [] }]])
    expect((await t.check(ticket)).state).toBe('pending')
  })

  it('passes other errors on', async () => {
    const t = await testerAnswering([
      [400, { errorCode: 4000020, errorMessage: 'Invalid request.' }],
    ])
    await expect(t.check(ticket)).rejects.toMatchObject({
      kind: 'invalid_input',
      vendorCode: 4000020,
    })
  })

  it('refuses tickets of another vendor or environment before any request', async () => {
    const t = await testerAnswering([notYet])
    await expect(t.check({ ...ticket, vendor: 'sailpoint' })).rejects.toThrow(
      'Invalid ticket: vendor: it is a "sailpoint" ticket, not an Apple one',
    )
    await expect(t.check({ ...ticket, details: { environment: 'Production' } })).rejects.toThrow(
      'Invalid ticket: it was issued in Production; this tester is for Sandbox',
    )
    expect(server!.received).toHaveLength(0)
  })

  it('refuses a ticket whose vendor JSON cannot show (a BigInt) with a typed error, not a TypeError', async () => {
    const t = await testerAnswering([notYet])
    await expect(t.check({ ...ticket, vendor: 1n } as never)).rejects.toMatchObject({
      name: 'NotificationTestError',
      kind: 'invalid_input',
      message: 'Invalid ticket: vendor: it is a bigint ticket, not an Apple one',
    })
    expect(server!.received).toHaveLength(0)
  })

  it('works with waitForOutcome, pending then delivered, a second apart in Sandbox (hourly budget)', async () => {
    const clock = new FakeClock()
    const t = await testerAnswering([notYet, notYet, status(['SUCCESS'])], {
      clock,
      rateLimits: 'hourly',
    })
    const states: string[] = []
    const outcome = await waitForOutcome(t, ticket, {
      clock,
      onProgress: (p) => states.push(p.outcome.state),
    })
    expect(outcome.state).toBe('delivered')
    expect(states).toEqual(['pending', 'pending', 'delivered'])
    // waitForOutcome sleeps 1 s between checks; 360 an hour leaves the limiter's slots free.
    expect(clock.sleeps).toEqual([1000, 1000])
  })

  it('slows down instead of failing when the hour’s Sandbox budget runs low', async () => {
    const clock = new FakeClock()
    const answers = [...Array.from({ length: 44 }, () => notYet), status(['SUCCESS'])]
    const t = await testerAnswering(answers, { clock, rateLimits: 'hourly' })
    const outcome = await waitForOutcome(t, ticket, { clock })
    expect(outcome.state).toBe('delivered')
    // The poller's own 1 s pauses, then the limiter's waits once the burst of 36 is spent.
    // 40 checks a second apart (36 at once, plus 0.09 a second refilled), then the limiter adds
    // its wait to the poller's 1 s: one check per 11.1 s, (360 − 36) refilled over the hour.
    expect(clock.sleeps.slice(0, 39)).toEqual(Array.from({ length: 39 }, () => 1000))
    expect(clock.sleeps.slice(39)).toEqual([
      5445, 1000, 10_111, 1000, 10_111, 1000, 10_111, 1000, 10_111, 1000, 10_111,
    ])
    expect(server!.received).toHaveLength(45)
  })

  it('works with waitForOutcome, spaced 10 s apart in Sandbox with rateLimits per-second', async () => {
    const clock = new FakeClock()
    const t = await testerAnswering([notYet, notYet, status(['SUCCESS'])], {
      clock,
      rateLimits: 'per-second',
    })
    const outcome = await waitForOutcome(t, ticket, { clock })
    expect(outcome.state).toBe('delivered')
    // waitForOutcome sleeps 10 s between checks; the limiter then finds each slot free.
    expect(clock.sleeps).toEqual([10_000, 10_000])
  })

  // vendor-facts: the TEST payload signed when Apple took this request is the evidence.
  it('is failed when the payload was signed before this test was requested (a replay)', async () => {
    const t = await testerAnswering([status(['SUCCESS'])])
    // The fixture was signed 2025-09-05T01:24:32.686Z; a request made 5 minutes and 1 s later.
    const later = { ...ticket, requestedAt: 1757035472686 + 5 * 60_000 + 1000 }
    const outcome = await t.check(later)
    expect(outcome.state).toBe('failed')
    expect(outcome.summary).toContain(
      'Signed payload rejected: it was signed at 2025-09-05T01:24:32.686Z, before this test was requested at 2025-09-05T01:29:33.686Z (5 minutes of clock skew allowed): an older notification replayed, not evidence of this one.',
    )
    // Within the skew, it is evidence.
    const skewed = { ...ticket, requestedAt: 1757035472686 + 5 * 60_000 }
    expect((await t.check(skewed)).state).toBe('delivered')
  })

  it('is failed when the payload already confirmed another test', async () => {
    const t = await testerAnswering([status(['SUCCESS'])])
    expect((await t.check(ticket)).state).toBe('delivered')
    // The same ticket may be checked again; another ticket may not reuse its payload.
    expect((await t.check(ticket)).state).toBe('delivered')
    const other = { ...ticket, id: '1f6b9a44-8d2c-4c1e-9a51-3c3f1d1e2a10_1757035472000' }
    const outcome = await t.check(other)
    expect(outcome.state).toBe('failed')
    expect(outcome.summary).toContain(
      `its notification "592751ef-c1b8-47fc-929e-d62dee66df4c" is the evidence of another test (token "${TOKEN}"), not of this one`,
    )
  })

  it('is failed, saying so, when Apple reports SUCCESS with no signedPayload; the attempts are kept', async () => {
    const t = await testerAnswering([
      [200, { sendAttempts: [{ attemptDate: ATTEMPT, sendAttemptResult: 'SUCCESS' }] }],
    ])
    const outcome = await t.check(ticket)
    expect(outcome).toMatchObject({ state: 'failed', attempts: [{ result: 'SUCCESS' }] })
    expect(outcome.summary).toContain('its answer holds no signedPayload')
  })

  it('is invalid_response, never a RangeError, for an attemptDate no Date can hold', async () => {
    const t = await testerAnswering([
      [
        200,
        {
          signedPayload: APPLE_FIXTURE,
          sendAttempts: [{ attemptDate: 1e20, sendAttemptResult: 'SUCCESS' }],
        },
      ],
    ])
    await expect(t.check(ticket)).rejects.toMatchObject({
      kind: 'invalid_response',
      message: expect.stringContaining('sendAttempts.0.attemptDate') as string,
    })
  })
})
