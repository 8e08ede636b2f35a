import { waitForOutcome } from '@notiprobe/core'
import { afterEach, describe, expect, it } from 'vitest'
import { AppleWorld, answers, failure } from './apple-helpers.js'
import { FakeClock } from '@notiprobe/core/testing'

const world = new AppleWorld()
afterEach(() => world.close())

describe('Apple test notification against the simulator', () => {
  it('goes send → pending (4040008) → delivered, with the verified notification', async () => {
    const simulator = await world.simulator({ deliveryDelayMs: 300 })
    const receiver = await world.verifyingReceiver(simulator, [simulator.rootCertificatePem])
    simulator.setNotificationUrl(receiver.url)
    const tester = world.tester(simulator)

    const ticket = await tester.send()
    expect(ticket).toMatchObject({
      vendor: 'apple',
      details: { environment: 'Sandbox', bundleId: simulator.bundleId },
    })
    expect(ticket.id).toMatch(/^[0-9a-f-]{36}_\d+$/)

    const first = await tester.check(ticket)
    expect(first.state).toBe('pending')
    expect(first.raw).toMatchObject({ errorCode: 4040008 })

    const outcome = await waitForOutcome(tester, ticket, { timeoutMs: 10_000 })
    const [record] = simulator.inspect().testNotifications
    expect(outcome.state).toBe('delivered')
    expect(outcome.attempts).toEqual([
      { attemptedAt: record.attempts[0].attemptDate, result: 'SUCCESS', succeeded: true },
    ])
    expect(outcome.notification).toEqual({
      notificationType: 'TEST',
      notificationUUID: record.notificationUUID,
      data: { bundleId: simulator.bundleId, environment: 'Sandbox' },
      version: '2.0',
      signedDate: record.requestedAt,
    })
    expect(outcome.summary).toMatch(
      /^Delivered: Apple's TEST notification [0-9a-f-]{36} reached your server at /,
    )
    // The receiver, running notiprobe's handler with the simulator's root, verified the same notification.
    expect(receiver.received.map((n) => n.notificationUUID)).toEqual([record.notificationUUID])
    expect(answers(simulator, 'getTestNotificationStatus')[0]).toBe(404)
  })

  it('is delivered in Production, where the notification carries the app’s Apple ID', async () => {
    const simulator = await world.simulator({
      environment: 'Production',
      appAppleId: 1_234_567_890,
    })
    const receiver = await world.verifyingReceiver(simulator, [simulator.rootCertificatePem])
    simulator.setNotificationUrl(receiver.url)
    const tester = world.tester(simulator)
    const outcome = await waitForOutcome(tester, await tester.send(), { timeoutMs: 10_000 })
    expect(outcome.state).toBe('delivered')
    expect(outcome.notification?.data).toEqual({
      appAppleId: 1_234_567_890,
      bundleId: simulator.bundleId,
      environment: 'Production',
    })
  })

  it.each([
    // Apple's hourly budgets (the default on both sides): a second apart in both environments; in
    // Sandbox the client's limiter spaces checks further once 36 have gone, and no 429 comes.
    ['Sandbox', 'hourly', 1000],
    ['Production', 'hourly', 1000],
    // The strict per-second reading: one Sandbox status check per 10 s.
    ['Sandbox', 'per-second', 10_000],
    ['Production', 'per-second', 1000],
  ] as const)(
    'stays within Apple’s %s status limit (%s) while waiting: checks %i ms apart, no 429',
    async (environment, rateLimits, interval) => {
      const clock = new FakeClock()
      const simulator = await world.simulator({
        environment,
        rateLimits,
        now: () => clock.now(),
        // Real time, while the virtual clock runs the polling: the first checks surely find it pending.
        deliveryDelayMs: 1000,
      })
      const receiver = await world.verifyingReceiver(
        simulator,
        [simulator.rootCertificatePem],
        clock,
      )
      simulator.setNotificationUrl(receiver.url)
      const tester = world.tester(simulator, { rateLimits, clock })
      expect(tester.pollIntervalMs).toBe(interval)
      const outcome = await waitForOutcome(tester, await tester.send(), {
        clock,
        timeoutMs: 30 * 86_400_000, // virtual time: as many checks as the real 1 s delay allows
      })
      expect(outcome.state).toBe('delivered')
      expect(clock.sleeps.length).toBeGreaterThan(0)
      // Per second: every pause is the interval. Hourly: the interval, plus the limiter's longer
      // waits once the burst is spent (exact figures in packages/apple/test/check.test.ts).
      expect(clock.sleeps[0]).toBe(interval)
      expect(Math.min(...clock.sleeps)).toBe(interval)
      if (rateLimits === 'per-second') expect(new Set(clock.sleeps)).toEqual(new Set([interval]))
      const statuses = answers(simulator, 'getTestNotificationStatus')
      expect(statuses.at(-1)).toBe(200)
      expect(statuses).not.toContain(429)
    },
  )
})

describe('a delivery that fails', () => {
  it('shows a receiver that is down as SOCKET_ISSUE', async () => {
    const simulator = await world.simulator()
    const down = await world.receiver(() => undefined)
    await down.close()
    simulator.setNotificationUrl(down.url)
    const tester = world.tester(simulator)
    const outcome = await waitForOutcome(tester, await tester.send(), { timeoutMs: 10_000 })
    expect(outcome.state).toBe('failed')
    expect(outcome.attempts.map((a) => [a.result, a.succeeded])).toEqual([['SOCKET_ISSUE', false]])
    expect(outcome.notification).toBeUndefined()
    expect(outcome.summary).toContain('SOCKET_ISSUE, the connection failed at the socket level')
    expect(outcome.summary).toContain(
      'Check that the App Store Server Notifications URL set in App Store Connect for Sandbox',
    )
  })

  it('shows a non-200 answer as UNSUCCESSFUL_HTTP_RESPONSE_CODE', async () => {
    const simulator = await world.simulator()
    const receiver = await world.receiver((req, res) => {
      req.resume()
      res.writeHead(503).end()
    })
    simulator.setNotificationUrl(receiver.url)
    const tester = world.tester(simulator)
    const outcome = await waitForOutcome(tester, await tester.send(), { timeoutMs: 10_000 })
    expect(outcome.state).toBe('failed')
    expect(outcome.attempts.map((a) => a.result)).toEqual(['UNSUCCESSFUL_HTTP_RESPONSE_CODE'])
    expect(outcome.summary).toContain('your server answered with a status outside 200 to 206')
    expect(receiver.hits()).toBe(1)
  })

  it('shows a receiver that never answers as TIMED_OUT', async () => {
    const simulator = await world.simulator({ deliveryTimeoutMs: 200 })
    const receiver = await world.receiver((req) => req.resume())
    simulator.setNotificationUrl(receiver.url)
    const tester = world.tester(simulator)
    const outcome = await waitForOutcome(tester, await tester.send(), { timeoutMs: 10_000 })
    expect(outcome.state).toBe('failed')
    expect(outcome.attempts.map((a) => a.result)).toEqual(['TIMED_OUT'])
    expect(outcome.summary).toContain('TIMED_OUT, your server did not answer in time')
  })

  it('keeps every attempt of a Production notification Apple retried', async () => {
    const simulator = await world.simulator({
      environment: 'Production',
      retryDelaysMs: [1000, 50],
    })
    let calls = 0
    const receiver = await world.receiver((req, res) => {
      req.resume()
      res.writeHead(++calls < 3 ? 500 : 200).end()
    })
    simulator.setNotificationUrl(receiver.url)
    const tester = world.tester(simulator)
    const ticket = await tester.send()
    // The first attempt failed; Apple's status already says so, and says more attempts follow.
    const first = await waitForOutcome(tester, ticket, { timeoutMs: 10_000 })
    expect(first.state).toBe('failed')
    expect(first.attempts.map((a) => a.result)).toEqual(['UNSUCCESSFUL_HTTP_RESPONSE_CODE'])
    expect(first.summary).toContain(
      'Apple tries again in Production (up to 6 attempts, 1 to 72 hours apart)',
    )
    let outcome = first
    for (let tries = 0; outcome.state !== 'delivered' && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      outcome = await tester.check(ticket)
    }
    expect(outcome.state).toBe('delivered')
    expect(outcome.attempts.map((a) => [a.result, a.succeeded])).toEqual([
      ['UNSUCCESSFUL_HTTP_RESPONSE_CODE', false],
      ['UNSUCCESSFUL_HTTP_RESPONSE_CODE', false],
      ['SUCCESS', true],
    ])
  })

  it('is refused by a receiver that does not trust the simulator’s root, and Apple records it', async () => {
    const simulator = await world.simulator()
    const receiver = await world.verifyingReceiver(simulator, undefined)
    simulator.setNotificationUrl(receiver.url)
    const tester = world.tester(simulator)
    const outcome = await waitForOutcome(tester, await tester.send(), { timeoutMs: 10_000 })
    expect(outcome.state).toBe('failed')
    expect(outcome.attempts.map((a) => a.result)).toEqual(['UNSUCCESSFUL_HTTP_RESPONSE_CODE'])
    expect(receiver.received).toEqual([])
    expect(receiver.refused[0]?.message).toMatch(
      /^Signed payload rejected: x5c\[1\] \(intermediate\) is not issued and signed by a trusted root\.$/,
    )
  })
})

describe('the simulator’s notifications count as evidence only with its root', () => {
  it('is not delivered for a tester trusting only Apple Root CA - G3', async () => {
    const simulator = await world.simulator()
    const receiver = await world.verifyingReceiver(simulator, [simulator.rootCertificatePem])
    simulator.setNotificationUrl(receiver.url)
    const tester = world.tester(simulator, { rootCertificates: undefined })
    const ticket = await tester.send()
    await waitForOutcome(tester, ticket, { timeoutMs: 10_000 })
    // check() is typed with Apple's outcome, verificationError included.
    const outcome = await tester.check(ticket)
    expect(outcome.attempts.map((a) => a.result)).toEqual(['SUCCESS'])
    expect(outcome.state).toBe('failed')
    expect(outcome.verificationError).toMatchObject({ kind: 'verification' })
    expect(outcome.summary).toContain('but the signed payload it returned is not valid evidence')
    expect(outcome.summary).toContain('is not issued and signed by a trusted root')
  })

  it('is not delivered for a tester expecting another app', async () => {
    const simulator = await world.simulator()
    const receiver = await world.verifyingReceiver(simulator, [simulator.rootCertificatePem])
    simulator.setNotificationUrl(receiver.url)
    const sender = world.tester(simulator)
    const ticket = await sender.send()
    await waitForOutcome(sender, ticket, { timeoutMs: 10_000 })
    // Same key and host, but verifying for a different environment.
    const other = world.tester(simulator, {
      environment: 'Production',
      appAppleId: simulator.appAppleId,
    })
    const outcome = await other.check({ ...ticket, details: undefined })
    expect(outcome.state).toBe('failed')
    expect(outcome.summary).toContain('the payload is for environment "Sandbox", not "Production"')
  })
})

describe('Apple errors on the test notification', () => {
  it('4040007: no notification URL configured', async () => {
    const simulator = await world.simulator()
    const error = await failure(world.tester(simulator).send())
    expect(error).toMatchObject({
      kind: 'not_found',
      vendorCode: 4040007,
      httpStatus: 404,
      retryable: false,
    })
    expect(error.message).toContain('set one in App Store Connect')
    expect(answers(simulator, 'requestTestNotification')).toEqual([404])
  })

  it('4000020: a token Apple does not recognise', async () => {
    const simulator = await world.simulator()
    const error = await failure(world.tester(simulator).getTestNotificationStatus('not-a-token'))
    expect(error).toMatchObject({ kind: 'invalid_input', vendorCode: 4000020, httpStatus: 400 })
  })
})
