import { generateKeyPairSync } from 'node:crypto'
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { AppleWorld, answers, failure } from './apple-helpers.js'
import { FakeClock } from '@notiprobe/core/testing'

const world = new AppleWorld()
afterEach(() => world.close())

async function simulatorWithReceiver(options: Parameters<AppleWorld['simulator']>[0] = {}) {
  const simulator = await world.simulator(options)
  const receiver = await world.receiver((req, res) => {
    req.resume()
    res.writeHead(200).end()
  })
  simulator.setNotificationUrl(receiver.url)
  return simulator
}

const TOKEN = '0f6b9a44-8d2c-4c1e-9a51-3c3f1d1e2a10_1893456000000'

describe('authentication', () => {
  it('401 for a key Apple does not know: auth, with the request id and the hint, not retried', async () => {
    const simulator = await simulatorWithReceiver()
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    const error = await failure(world.tester(simulator, { privateKey: other }).send())
    expect(error).toMatchObject({
      kind: 'auth',
      httpStatus: 401,
      retryable: false,
      vendorMessage: 'Unauthenticated',
    })
    expect(error.requestId).toMatch(/^[A-Z2-7]{26}\.0\.0$/)
    expect(error.message).toContain(
      `Apple refused the credentials (HTTP 401, request ID ${error.requestId!}).`,
    )
    expect(error.message).toContain('that this machine’s clock is right')
    expect(error.message).toContain('until the app has shipped to the App Store once')
    expect(answers(simulator, 'requestTestNotification')).toEqual([401])
    expect(simulator.inspect().authFailures[0]?.reason).toBe('signature verification failed')
    expect(inspect(error)).not.toContain(other.split('\n')[1])
  })

  it('401 for a token naming another app', async () => {
    const simulator = await simulatorWithReceiver()
    const error = await failure(world.tester(simulator, { bundleId: 'com.example.other' }).send())
    expect(error).toMatchObject({ kind: 'auth', httpStatus: 401 })
    expect(simulator.inspect().authFailures[0]?.reason).toBe(
      `bid "com.example.other" is not ${simulator.bundleId}`,
    )
  })

  it('401 for a token from a clock far ahead', async () => {
    const simulator = await simulatorWithReceiver()
    const ahead = new FakeClock({ start: Date.now() + 3_600_000 })
    const error = await failure(world.tester(simulator, { clock: ahead }).send())
    expect(error).toMatchObject({ kind: 'auth' })
    expect(simulator.inspect().authFailures[0]?.reason).toBe('iat is in the future')
  })
})

describe('rate limits', () => {
  it('429 with an epoch-millisecond Retry-After is waited out exactly, then the send succeeds', async () => {
    const clock = new FakeClock()
    const simulator = await simulatorWithReceiver({
      rateLimits: 'per-second',
      now: () => clock.now(),
    })
    // Client-side limits off, so that the simulator's limit is what stops the second send.
    const tester = world.tester(simulator, { clock })
    await tester.send()
    clock.advance(2500)
    await tester.send()
    expect(answers(simulator, 'requestTestNotification')).toEqual([200, 429, 200])
    // Sandbox: one test request per 10 s window; 2.5 s of it had gone.
    expect(clock.sleeps).toEqual([7500])
  })

  it('a fault 429 on a read is retried after its Retry-After', async () => {
    const clock = new FakeClock()
    const simulator = await simulatorWithReceiver({ now: () => clock.now() })
    simulator.faults.set('getTestNotificationStatus', { kind: 'rateLimit', times: 2 })
    const error = await failure(world.tester(simulator, { clock }).getTestNotificationStatus(TOKEN))
    expect(error).toMatchObject({ vendorCode: 4040008 })
    expect(answers(simulator, 'getTestNotificationStatus')).toEqual([429, 429, 404])
    expect(clock.sleeps).toEqual([1000, 1000])
  })

  it('the client’s own limiter holds calls back after a 429', async () => {
    const clock = new FakeClock()
    const simulator = await simulatorWithReceiver({ now: () => clock.now() })
    simulator.faults.set('requestTestNotification', { kind: 'rateLimit', times: 1 })
    const tester = world.tester(simulator, { clock, rateLimits: 'per-second' })
    await tester.send()
    expect(answers(simulator, 'requestTestNotification')).toEqual([429, 200])
    // The 1 s Retry-After only: the refused call's slot is given back, so its retry is not also
    // charged the endpoint's 10 s Sandbox spacing.
    expect(clock.sleeps).toEqual([1000])
  })
})

describe('server errors and broken connections', () => {
  it('5000001 is retried for a send', async () => {
    const simulator = await simulatorWithReceiver()
    simulator.faults.set('requestTestNotification', { kind: 'status', status: 503, times: 1 })
    const ticket = await world
      .tester(simulator, { clock: new FakeClock({ start: Date.now() }) })
      .send()
    expect(ticket.id).toMatch(/_\d+$/)
    expect(answers(simulator, 'requestTestNotification')).toEqual([503, 200])
    expect(simulator.inspect().testNotifications).toHaveLength(1)
  })

  it('5000000 is not retried for a send', async () => {
    const simulator = await simulatorWithReceiver()
    simulator.faults.set('requestTestNotification', { kind: 'status', status: 500, times: 1 })
    const error = await failure(
      world.tester(simulator, { clock: new FakeClock({ start: Date.now() }) }).send(),
    )
    expect(error).toMatchObject({
      kind: 'vendor_error',
      vendorCode: 5000000,
      httpStatus: 500,
      retryable: false,
    })
    expect(error.message).toBe(
      'Requesting the Apple test notification failed: Apple error 5000000 GeneralInternal (HTTP 500). Apple had an internal error; try again later.',
    )
    expect(answers(simulator, 'requestTestNotification')).toEqual([500])
  })

  it('5000000 is retried for a read', async () => {
    const simulator = await simulatorWithReceiver()
    simulator.faults.set('getTestNotificationStatus', { kind: 'status', status: 500, times: 1 })
    await failure(
      world
        .tester(simulator, { clock: new FakeClock({ start: Date.now() }) })
        .getTestNotificationStatus(TOKEN),
    )
    expect(answers(simulator, 'getTestNotificationStatus')).toEqual([500, 404])
  })

  it('a dropped connection is never retried for a send', async () => {
    const simulator = await simulatorWithReceiver()
    simulator.faults.set('requestTestNotification', { kind: 'drop', times: 1 })
    const error = await failure(
      world.tester(simulator, { clock: new FakeClock({ start: Date.now() }) }).send(),
    )
    expect(error).toMatchObject({ kind: 'network', retryable: false })
    expect(error.message).toContain(
      'it was not repeated so that no duplicate test notification is sent',
    )
    expect(answers(simulator, 'requestTestNotification')).toEqual(['dropped'])
  })

  it('a dropped connection is retried for a read', async () => {
    const simulator = await simulatorWithReceiver()
    simulator.faults.set('getTestNotificationStatus', { kind: 'drop', times: 2 })
    const error = await failure(
      world
        .tester(simulator, { clock: new FakeClock({ start: Date.now() }) })
        .getTestNotificationStatus(TOKEN),
    )
    expect(error.vendorCode).toBe(4040008)
    expect(answers(simulator, 'getTestNotificationStatus')).toEqual(['dropped', 'dropped', 404])
  })

  it('a refused connection is retried even for a send: the request never left', async () => {
    const simulator = await simulatorWithReceiver()
    const tester = world.tester(simulator, {
      baseUrl: 'http://127.0.0.1:1',
      clock: new FakeClock({ start: Date.now() }),
      retry: { maxAttempts: 3 },
    })
    const error = await failure(tester.send())
    expect(error).toMatchObject({ kind: 'network', retryable: true })
    expect(error.message).toContain('ECONNREFUSED')
  })

  it('an HTML 502 from a proxy is typed by its status, not retried for a send', async () => {
    const simulator = await simulatorWithReceiver()
    simulator.faults.set('requestTestNotification', {
      kind: 'malformed',
      malformed: 'html',
      times: 1,
    })
    const error = await failure(
      world.tester(simulator, { clock: new FakeClock({ start: Date.now() }) }).send(),
    )
    expect(error).toMatchObject({
      kind: 'vendor_error',
      httpStatus: 502,
      vendorCode: undefined,
      retryable: false,
    })
    expect(error.message).toMatch(
      /^Requesting the Apple test notification failed: Apple answered HTTP 502 with a text\/html body that is not Apple's JSON error \(\d+ bytes\)\. This is usually a proxy or an outage; try again later\.$/,
    )
    expect(answers(simulator, 'requestTestNotification')).toEqual([502])
  })

  it('a 200 whose JSON does not parse is an invalid response', async () => {
    const simulator = await simulatorWithReceiver()
    simulator.faults.set('requestTestNotification', {
      kind: 'malformed',
      malformed: 'invalid-json',
      times: 1,
    })
    const error = await failure(
      world.tester(simulator, { clock: new FakeClock({ start: Date.now() }) }).send(),
    )
    expect(error).toMatchObject({ kind: 'invalid_response', httpStatus: 200 })
    expect(error.message).toMatch(
      /^Requesting the Apple test notification failed: Apple answered HTTP 200 with a body that is not JSON \(\d+ bytes\)\.$/,
    )
  })

  it('a send that outlives its timeout is reported, and not repeated', async () => {
    const simulator = await simulatorWithReceiver()
    simulator.faults.set('requestTestNotification', { kind: 'latency', latencyMs: 2000, times: 1 })
    const error = await failure(world.tester(simulator).send({ timeoutMs: 200 }))
    expect(error).toMatchObject({ kind: 'timeout', retryable: false })
    expect(error.message).toBe(
      'Requesting the Apple test notification did not finish within 200 ms. apple may still have received the request. Raise timeoutMs or try again later.',
    )
    expect(
      simulator.inspect().requests.filter((r) => r.endpoint === 'requestTestNotification'),
    ).toHaveLength(1)
  })

  it('a send can be aborted by the caller', async () => {
    const simulator = await simulatorWithReceiver()
    simulator.faults.set('requestTestNotification', { kind: 'latency', latencyMs: 2000, times: 1 })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const error = await failure(world.tester(simulator).send({ signal: controller.signal }))
    expect(error).toMatchObject({ kind: 'aborted' })
  })
})
