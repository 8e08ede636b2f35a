import type { NotificationTestError } from '@notiprobe/core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createAppleTester,
  type ApplePerformanceTestProgress,
  type AppleTester,
} from '../src/index.js'
import { makeKey, testerOptions } from './helpers/keys.js'
import { sendJson, startLocalServer, type LocalServer } from './helpers/local-server.js'
import type { AppleRateLimits } from '../src/hosts.js'
import { FakeClock } from '@notiprobe/core/testing'

const REQUEST_ID = '6f1c0a7e-5d4b-4c3a-9f2e-1d0c9b8a7f6e'
const config = {
  maxConcurrentRequests: 5,
  totalRequests: 50,
  totalDuration: 10_000,
  responseTimeThreshold: 700,
  successRateThreshold: 90,
}
const pending = { config, target: 'https://example.com/rm', result: 'PENDING', numPending: 50 }
const passed = {
  ...pending,
  result: 'PASS',
  numPending: 0,
  successRate: 100,
  responseTimes: { average: 12, p50: 10, p90: 20, p95: 25, p99: 40 },
  failures: {},
}
let server: LocalServer | undefined
let tester: AppleTester | undefined

afterEach(async () => {
  tester?.close()
  await server?.close()
})

async function serve(
  results: unknown[],
  clock = new FakeClock(),
  rateLimits: AppleRateLimits = 'hourly',
): Promise<AppleTester> {
  let next = 0
  server = await startLocalServer((request, res) => {
    if (request.method === 'POST') return sendJson(res, 200, { config, requestId: REQUEST_ID })
    sendJson(res, 200, results[Math.min(next++, results.length - 1)])
  })
  tester = createAppleTester({
    ...testerOptions(makeKey()),
    environment: 'Production',
    appAppleId: 1,
    baseUrl: server.baseUrl,
    clock,
    rateLimits,
  })
  return tester
}

describe('the performance test', () => {
  it('starts with the transaction id and answers with the config and request id', async () => {
    const t = await serve([passed])
    await expect(
      t.initiatePerformanceTest({ originalTransactionId: '2000000123456789' }),
    ).resolves.toEqual({ config, requestId: REQUEST_ID })
    expect(server!.received[0]).toMatchObject({
      method: 'POST',
      url: '/inApps/v1/messaging/performanceTest',
      body: '{"originalTransactionId":"2000000123456789"}',
    })
    await expect(t.getPerformanceTestResults(REQUEST_ID)).resolves.toEqual(passed)
    expect(server!.received[1].url).toBe(
      `/inApps/v1/messaging/performanceTest/result/${REQUEST_ID}`,
    )
  })

  it('checks its arguments before any request', async () => {
    const t = await serve([passed])
    await expect(t.initiatePerformanceTest({ originalTransactionId: 'abc' })).rejects.toThrow(
      'Invalid performance test request: originalTransactionId: expected the originalTransactionId of a Sandbox transaction, a string of digits',
    )
    await expect(t.initiatePerformanceTest({} as never)).rejects.toThrow(
      'Invalid performance test request: originalTransactionId: is required (the originalTransactionId of a Sandbox transaction)',
    )
    await expect(t.getPerformanceTestResults('a/b')).rejects.toThrow(
      'Invalid performance test requestId: expected the requestId that initiatePerformanceTest returned, such as a UUID',
    )
    expect(server!.received).toHaveLength(0)
  })

  it.each([
    ['hourly', 1000],
    ['per-second', 10_000],
  ] as const)(
    'is waited for until it leaves PENDING, checks spaced by the Sandbox limit even for a Production tester (%s: %d ms)',
    async (rateLimits, spacing) => {
      const clock = new FakeClock()
      const last = { ...passed, result: 'FAIL', successRate: 40 }
      const t = await serve([pending, pending, last], clock, rateLimits)
      const progress: ApplePerformanceTestProgress[] = []
      const result = await t.waitForPerformanceTest(REQUEST_ID, {
        onProgress: (p) => progress.push(p),
      })
      expect(result.result).toBe('FAIL')
      expect(progress.map((p) => [p.checks, p.result.result, p.nextCheckInMs])).toEqual([
        [1, 'PENDING', spacing],
        [2, 'PENDING', spacing],
        [3, 'FAIL', undefined],
      ])
      expect(clock.sleeps).toEqual([spacing, spacing])
      expect(server!.received).toHaveLength(3)
    },
  )

  it('keeps a result value Apple adds later and stops on it', async () => {
    const t = await serve([{ ...pending, result: 'CANCELLED' }], new FakeClock(), 'off')
    await expect(t.waitForPerformanceTest(REQUEST_ID)).resolves.toMatchObject({
      result: 'CANCELLED',
    })
  })

  it('times out while still pending, and can be aborted', async () => {
    const t = await serve([pending])
    const error = await t
      .waitForPerformanceTest(REQUEST_ID, { timeoutMs: 25_000 })
      .catch((e: unknown) => e as NotificationTestError)
    expect(error).toMatchObject({
      kind: 'timeout',
      retryable: true,
      operation: 'apple.waitForPerformanceTest',
    })
    expect(error.message).toBe(
      `Performance test ${REQUEST_ID} was still PENDING after 25 s (50 requests pending); check it again later with getPerformanceTestResults.`,
    )
    const controller = new AbortController()
    controller.abort()
    await expect(
      t.waitForPerformanceTest(REQUEST_ID, { signal: controller.signal }),
    ).rejects.toMatchObject({ kind: 'aborted' })
  })
})
