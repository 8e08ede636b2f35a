import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  startAppleSimulator,
  type AppleSimulator,
  type PerformanceTestResult,
} from '../src/apple/index.js'
import { callApple, decodeJws, eventually, startReceiver, type Receiver } from './apple-helpers.js'

const INITIATE = '/inApps/v1/messaging/performanceTest'
const RESULT = '/inApps/v1/messaging/performanceTest/result/'
const ANSWER = JSON.stringify({
  message: { messageIdentifier: 'a2c4e6f8-0000-4000-8000-000000000001' },
})

async function initiate(sim: AppleSimulator, originalTransactionId: unknown = '2000000123456789') {
  return callApple(sim, 'POST', INITIATE, { body: { originalTransactionId } })
}

async function finalResult(sim: AppleSimulator, requestId: string): Promise<PerformanceTestResult> {
  return eventually(async () => {
    const response = await callApple(sim, 'GET', `${RESULT}${requestId}`)
    expect(response.status).toBe(200)
    const result = response.json as PerformanceTestResult
    return result.result === 'PENDING' ? undefined : result
  }, 5000)
}

describe('Apple simulator: Retention Messaging performance test', () => {
  let receiver: Receiver
  let sim: AppleSimulator

  beforeEach(async () => {
    receiver = await startReceiver((_req, res, _body) =>
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER), 10),
    )
    sim = await startAppleSimulator({
      rateLimits: 'off',
      realtimeUrl: receiver.url,
      appAppleId: 42,
      performanceTest: { totalRequests: 20, maxConcurrentRequests: 4 },
    })
  })
  afterEach(async () => {
    await sim.close()
    await receiver.close()
  })

  it('runs signed realtime requests with bounded concurrency and reports PASS', async () => {
    const started = await initiate(sim)
    expect(started.status).toBe(200)
    const { config, requestId } = started.json as { config: unknown; requestId: string }
    expect(config).toEqual({
      maxConcurrentRequests: 4,
      totalRequests: 20,
      totalDuration: 10_000,
      responseTimeThreshold: 700,
      successRateThreshold: 90,
    })
    expect(requestId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )

    const result = await finalResult(sim, requestId)
    expect(result).toEqual({
      config,
      target: receiver.url,
      result: 'PASS',
      successRate: 100,
      numPending: 0,
      responseTimes: {
        average: expect.any(Number) as number,
        p50: expect.any(Number) as number,
        p90: expect.any(Number) as number,
        p95: expect.any(Number) as number,
        p99: expect.any(Number) as number,
      },
      failures: {},
    })
    expect(result.responseTimes.p50).toBeGreaterThanOrEqual(10)
    expect(result.responseTimes.p99).toBeGreaterThanOrEqual(result.responseTimes.p50)

    expect(receiver.received).toHaveLength(20)
    expect(receiver.maxConcurrent).toBeLessThanOrEqual(4)
    expect(receiver.maxConcurrent).toBeGreaterThan(1)
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as { signedPayload: string })
    const { header, payload } = decodeJws(bodies[0]?.signedPayload ?? '')
    expect(header.x5c).toHaveLength(3)
    expect(payload).toEqual({
      originalTransactionId: '2000000123456789',
      appAppleId: 42,
      productId: 'com.example.notiprobe.monthly',
      userLocale: 'en-US',
      requestIdentifier: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      environment: 'Sandbox',
      signedDate: expect.any(Number) as number,
    })
    const identifiers = new Set(
      bodies.map((b) => decodeJws(b.signedPayload).payload.requestIdentifier),
    )
    expect(identifiers.size).toBe(20)
    expect(sim.inspect().performanceTests[0]).toMatchObject({
      requestId,
      result: 'PASS',
      maxInFlight: 4,
    })
  })

  it('reports FAIL with TIMED_OUT when the endpoint is slower than the threshold', async () => {
    receiver.setHandler((_req, res) => setTimeout(() => res.writeHead(200).end(ANSWER), 150))
    const slow = await startAppleSimulator({
      rateLimits: 'off',
      realtimeUrl: receiver.url,
      performanceTest: { totalRequests: 4, maxConcurrentRequests: 2, responseTimeThreshold: 50 },
    })
    try {
      const { requestId } = (await initiate(slow)).json as { requestId: string }
      const pending = (await callApple(slow, 'GET', `${RESULT}${requestId}`))
        .json as PerformanceTestResult
      expect(pending.result).toBe('PENDING')
      expect(pending.numPending).toBeGreaterThan(0)
      const result = await finalResult(slow, requestId)
      expect(result).toMatchObject({
        result: 'FAIL',
        successRate: 0,
        numPending: 0,
        failures: { TIMED_OUT: 4 },
      })
      expect(result.responseTimes.p50).toBeGreaterThanOrEqual(50)
    } finally {
      await slow.close()
    }
  })

  it('counts 200s without a retention answer as INVALID_RESPONSE and other statuses as failures', async () => {
    let n = 0
    receiver.setHandler((_req, res) => {
      n++
      if (n % 4 === 0) res.writeHead(500).end()
      else if (n % 4 === 1) res.writeHead(200).end('{"nothing":true}')
      else res.writeHead(200).end(ANSWER)
    })
    const { requestId } = (await initiate(sim)).json as { requestId: string }
    const result = await finalResult(sim, requestId)
    expect(result).toMatchObject({
      result: 'FAIL',
      successRate: 50,
      failures: { INVALID_RESPONSE: 5, UNSUCCESSFUL_HTTP_RESPONSE_CODE: 5 },
    })
  })

  it('refuses a second run while one is in progress (4000213)', async () => {
    receiver.setHandler((_req, res) => setTimeout(() => res.writeHead(200).end(ANSWER), 50))
    expect((await initiate(sim)).status).toBe(200)
    const second = await initiate(sim)
    expect(second.status).toBe(400)
    expect(second.json).toMatchObject({ errorCode: 4000213 })
  })

  it.each([
    ['no body', undefined],
    ['an empty object', {}],
    ['a numeric id', { originalTransactionId: 2000000123456789 }],
    ['letters', { originalTransactionId: 'abc' }],
    ['an empty string', { originalTransactionId: '' }],
  ])('refuses %s (4000211)', async (_name, body) => {
    const response = await callApple(sim, 'POST', INITIATE, body === undefined ? {} : { body })
    expect(response.status).toBe(400)
    expect(response.json).toEqual({
      errorCode: 4000211,
      errorMessage: 'Invalid request. The performance test request is invalid.',
    })
  })

  it('answers 404 4040021 when no realtime URL is configured', async () => {
    sim.setRealtimeUrl(undefined)
    const response = await initiate(sim)
    expect(response.status).toBe(404)
    expect(response.json).toMatchObject({ errorCode: 4040021 })
  })

  it('answers 4000212 to a malformed request id and 4040018 to an unknown one', async () => {
    const malformed = await callApple(sim, 'GET', `${RESULT}not-a-uuid`)
    expect(malformed.status).toBe(400)
    expect(malformed.json).toMatchObject({ errorCode: 4000212 })
    const unknown = await callApple(sim, 'GET', `${RESULT}0a1b2c3d-0000-4000-8000-000000000000`)
    expect(unknown.status).toBe(404)
    expect(unknown.json).toMatchObject({ errorCode: 4040018 })
  })

  it('close() stops a run in progress', async () => {
    receiver.setHandler((_req, res) => setTimeout(() => res.writeHead(200).end(ANSWER), 30))
    expect((await initiate(sim)).status).toBe(200)
    await eventually(() => (receiver.received.length > 0 ? true : undefined))
    await sim.close()
    const count = receiver.received.length
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(receiver.received.length).toBe(count)
    expect(count).toBeLessThan(20)
  })

  it('runs more than ten requests at once without a MaxListenersExceededWarning', async () => {
    const warnings: Error[] = []
    const onWarning = (warning: Error): void => {
      warnings.push(warning)
    }
    process.on('warning', onWarning)
    const wide = await startAppleSimulator({
      rateLimits: 'off',
      realtimeUrl: receiver.url,
      appAppleId: 42,
      performanceTest: { totalRequests: 40, maxConcurrentRequests: 16 },
    })
    try {
      // Answers held until 16 are in flight at once.
      const held: (() => void)[] = []
      receiver.setHandler((_req, res) => {
        held.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER))
        if (held.length >= 16) held.splice(0).forEach((answer) => answer())
      })
      expect((await initiate(wide)).status).toBe(200)
      await eventually(() => (receiver.maxConcurrent >= 16 ? true : undefined))
      await wide.close()
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([])
    } finally {
      process.off('warning', onWarning)
    }
  })
})
