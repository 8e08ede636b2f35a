import { randomUUID } from 'node:crypto'
import type { ApplePerformanceTestProgress } from '@notiprobe/apple'
import { afterEach, describe, expect, it } from 'vitest'
import { AppleWorld, answers, failure } from './apple-helpers.js'

const world = new AppleWorld()
afterEach(() => world.close())

const tightConfig = {
  maxConcurrentRequests: 5,
  totalRequests: 20,
  totalDuration: 3000,
  responseTimeThreshold: 150,
  successRateThreshold: 90,
}

// For runs that must pass: a loaded CI machine must not turn a 5 ms endpoint into a failure.
const passingConfig = { ...tightConfig, totalDuration: 15_000, responseTimeThreshold: 3000 }

/** A Get Retention Message endpoint answering after `delayMs`. */
async function realtimeEndpoint(delayMs: number, status = 200) {
  let requests = 0
  const endpoint = await world.receiver((req, res) => {
    requests++
    req.resume()
    setTimeout(() => {
      const body = JSON.stringify({ message: { messageIdentifier: 'a1b2c3' } })
      res.writeHead(status, { 'content-type': 'application/json' }).end(body)
    }, delayMs)
  })
  return { url: endpoint.url, requests: () => requests }
}

describe('the Retention Messaging performance test against the simulator', () => {
  it('passes for an endpoint that answers in time, with Apple’s result shape', async () => {
    const config = passingConfig
    const simulator = await world.simulator({ performanceTest: config })
    const endpoint = await realtimeEndpoint(5)
    simulator.setRealtimeUrl(endpoint.url)
    const tester = world.tester(simulator)
    const started = await tester.initiatePerformanceTest({
      originalTransactionId: '2000000123456789',
    })
    expect(started).toEqual({
      config,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
    })
    const progress: ApplePerformanceTestProgress[] = []
    const result = await tester.waitForPerformanceTest(started.requestId, {
      timeoutMs: 20_000,
      onProgress: (p) => progress.push(p),
    })
    expect(result).toMatchObject({
      config,
      target: endpoint.url,
      result: 'PASS',
      successRate: 100,
      numPending: 0,
      failures: {},
    })
    expect(result.responseTimes).toMatchObject({
      average: expect.any(Number) as number,
      p50: expect.any(Number) as number,
      p99: expect.any(Number) as number,
    })
    expect(endpoint.requests()).toBe(20)
    expect(progress.at(-1)).toMatchObject({ result: { result: 'PASS' }, nextCheckInMs: undefined })
    expect(
      progress.slice(0, -1).every((p) => p.result.result === 'PENDING' && p.nextCheckInMs === 250),
    ).toBe(true)
  })

  it('fails for an endpoint slower than the threshold, with the failures by result', async () => {
    const simulator = await world.simulator({ performanceTest: tightConfig })
    simulator.setRealtimeUrl((await realtimeEndpoint(400)).url)
    const tester = world.tester(simulator)
    const { requestId } = await tester.initiatePerformanceTest({
      originalTransactionId: '2000000123456789',
    })
    const result = await tester.waitForPerformanceTest(requestId, { timeoutMs: 20_000 })
    expect(result).toMatchObject({
      result: 'FAIL',
      successRate: 0,
      numPending: 0,
      failures: { TIMED_OUT: 20 },
    })
  })

  it('fails for an endpoint answering errors', async () => {
    const simulator = await world.simulator({ performanceTest: tightConfig })
    simulator.setRealtimeUrl((await realtimeEndpoint(1, 500)).url)
    const tester = world.tester(simulator)
    const { requestId } = await tester.initiatePerformanceTest({
      originalTransactionId: '2000000123456789',
    })
    const result = await tester.waitForPerformanceTest(requestId, { timeoutMs: 20_000 })
    expect(result).toMatchObject({
      result: 'FAIL',
      failures: { UNSUCCESSFUL_HTTP_RESPONSE_CODE: 20 },
    })
  })

  it('gives Apple’s errors: a run in progress, an unknown run, a malformed id', async () => {
    const simulator = await world.simulator({
      performanceTest: { ...tightConfig, totalDuration: 2000 },
    })
    simulator.setRealtimeUrl((await realtimeEndpoint(300)).url)
    const tester = world.tester(simulator)
    await tester.initiatePerformanceTest({ originalTransactionId: '2000000123456789' })
    const running = await failure(
      tester.initiatePerformanceTest({ originalTransactionId: '2000000123456789' }),
    )
    expect(running).toMatchObject({ kind: 'invalid_input', vendorCode: 4000213, httpStatus: 400 })
    expect(running.message).toContain('A performance test is already running for this app')
    const unknown = await failure(tester.getPerformanceTestResults(randomUUID()))
    expect(unknown).toMatchObject({ kind: 'not_found', vendorCode: 4040018, httpStatus: 404 })
    const malformed = await failure(tester.getPerformanceTestResults('not-a-uuid'))
    expect(malformed).toMatchObject({ kind: 'invalid_input', vendorCode: 4000212, httpStatus: 400 })
    expect(answers(simulator, 'initiatePerformanceTest')).toEqual([200, 400])
  })

  it('says what to do when no realtime URL is configured (4040021)', async () => {
    const simulator = await world.simulator({ performanceTest: tightConfig })
    const error = await failure(
      world
        .tester(simulator)
        .initiatePerformanceTest({ originalTransactionId: '2000000123456789' }),
    )
    expect(error).toMatchObject({
      kind: 'not_found',
      vendorCode: 4040021,
      httpStatus: 404,
      retryable: false,
    })
    expect(error.message).toBe(
      'Starting the Apple performance test failed: Apple error 4040021 RealtimeUrlNotFound (HTTP 404). No realtime (Get Retention Message) URL is configured for this app: set it for Retention Messaging in App Store Connect, then start the performance test again.',
    )
  })

  it('reads a body-less 404 as an account without Retention Messaging access', async () => {
    const simulator = await world.simulator({
      performanceTest: tightConfig,
      retentionMessaging: false,
    })
    const error = await failure(
      world
        .tester(simulator)
        .initiatePerformanceTest({ originalTransactionId: '2000000123456789' }),
    )
    expect(error).toMatchObject({ kind: 'forbidden', httpStatus: 404, retryable: false })
    expect(error.vendorCode).toBeUndefined()
    expect(error.message).toContain('this account has no Retention Messaging access')
  })

  it('counts an advancedCommerceInfo answer as a retention answer', async () => {
    const simulator = await world.simulator({ performanceTest: passingConfig })
    const endpoint = await world.receiver((req, res) => {
      req.resume()
      const body = JSON.stringify({ advancedCommerceInfo: { messageIdentifier: 'a1b2c3' } })
      res.writeHead(200, { 'content-type': 'application/json' }).end(body)
    })
    simulator.setRealtimeUrl(endpoint.url)
    const tester = world.tester(simulator)
    const { requestId } = await tester.initiatePerformanceTest({
      originalTransactionId: '2000000123456789',
    })
    const result = await tester.waitForPerformanceTest(requestId, { timeoutMs: 30_000 })
    expect(result).toMatchObject({ result: 'PASS', successRate: 100 })
  })

  it('runs from a Production tester too (the test is Sandbox-only, and so are its limits)', async () => {
    const simulator = await world.simulator({
      environment: 'Production',
      performanceTest: passingConfig,
    })
    simulator.setRealtimeUrl((await realtimeEndpoint(5)).url)
    const tester = world.tester(simulator)
    const { requestId } = await tester.initiatePerformanceTest({
      originalTransactionId: '2000000123456789',
    })
    await expect(
      tester.waitForPerformanceTest(requestId, { timeoutMs: 20_000 }),
    ).resolves.toMatchObject({ result: 'PASS' })
  })
})
