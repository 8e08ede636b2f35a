import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAppleTester, type AppleTester } from '../src/index.js'
import { makeKey, testerOptions } from './helpers/keys.js'
import { sendJson, startLocalServer, type LocalServer } from './helpers/local-server.js'
import { MAX_TIMER_MS } from '@notiprobe/core/adapter'
import { rejectionOf } from '@notiprobe/core/testing'

const TOKEN = '0f6b9a44-8d2c-4c1e-9a51-3c3f1d1e2a10_1893456000000'
const REQUEST_ID = '6f1c0a7e-5d4b-4c3a-9f2e-1d0c9b8a7f6e'
const TIMEOUT_RULE =
  'timeoutMs: expected a whole number of milliseconds from 1 to 2147483647 (about 24.8 days)'
const CALL_SHAPE = 'expected an options object {signal?, timeoutMs?}'

const config = {
  maxConcurrentRequests: 5,
  totalRequests: 50,
  totalDuration: 10_000,
  responseTimeThreshold: 700,
  successRateThreshold: 90,
}
const passed = {
  config,
  target: 'https://example.com/rm',
  result: 'PASS',
  numPending: 0,
  successRate: 100,
  responseTimes: { average: 12, p50: 10, p90: 20, p95: 25, p99: 40 },
  failures: {},
}

let server: LocalServer
let tester: AppleTester

/** A server that answers every endpoint with a valid body, and records what it receives. */
beforeAll(async () => {
  server = await startLocalServer((request, res) => {
    const path = request.url.split('?')[0] ?? ''
    if (path === '/inApps/v1/notifications/test') {
      return sendJson(res, 200, { testNotificationToken: TOKEN })
    }
    if (path.startsWith('/inApps/v1/notifications/test/')) {
      return sendJson(res, 200, { signedPayload: 'x.y.z', sendAttempts: [] })
    }
    if (path === '/inApps/v1/notifications/history') {
      return sendJson(res, 200, { notificationHistory: [], hasMore: false })
    }
    if (path === '/inApps/v1/messaging/performanceTest') {
      return sendJson(res, 200, { config, requestId: REQUEST_ID })
    }
    return sendJson(res, 200, passed)
  })
  tester = createAppleTester({
    ...testerOptions(makeKey()),
    baseUrl: server.baseUrl,
    rateLimits: 'off',
  })
})

afterAll(async () => {
  tester.close()
  await server.close()
})

beforeEach(() => {
  server.received.length = 0
})

/** Awaits a call's promise, or reads a history iterator to its end. */
async function settle(result: unknown): Promise<void> {
  if (result instanceof Promise) {
    // `check` reads the status (a payload that does not verify is `failed`, not an error).
    await result
    return
  }
  for await (const _record of result as AsyncIterable<unknown>) {
    // no records
  }
}

const HOUR_AGO = (): { startDate: number; endDate: number } => ({
  startDate: Date.now() - 3_600_000,
  endDate: Date.now(),
})

/** Every public call, each with valid arguments and the options under test. */
const CALLS: readonly {
  readonly method: string
  readonly operation: string
  readonly call: (options: unknown) => unknown
}[] = [
  {
    method: 'send',
    operation: 'apple.requestTestNotification',
    call: (options) => tester.send(options as never),
  },
  {
    method: 'check',
    operation: 'apple.check',
    call: (options) =>
      tester.check({ vendor: 'apple', id: TOKEN, requestedAt: 0 }, options as never),
  },
  {
    method: 'getTestNotificationStatus',
    operation: 'apple.getTestNotificationStatus',
    call: (options) => tester.getTestNotificationStatus(TOKEN, options as never),
  },
  {
    method: 'notificationHistory',
    operation: 'apple.getNotificationHistory',
    call: (options) => tester.notificationHistory(HOUR_AGO(), options as never),
  },
  {
    method: 'initiatePerformanceTest',
    operation: 'apple.initiatePerformanceTest',
    call: (options) =>
      tester.initiatePerformanceTest(
        { originalTransactionId: '2000000000000001' },
        options as never,
      ),
  },
  {
    method: 'getPerformanceTestResults',
    operation: 'apple.getPerformanceTestResults',
    call: (options) => tester.getPerformanceTestResults(REQUEST_ID, options as never),
  },
  {
    method: 'waitForPerformanceTest',
    operation: 'apple.waitForPerformanceTest',
    call: (options) => tester.waitForPerformanceTest(REQUEST_ID, options as never),
  },
]

describe('call options', () => {
  describe.each(CALLS)('of $method()', ({ method, operation, call }) => {
    const shape =
      method === 'waitForPerformanceTest'
        ? 'expected an options object {signal?, timeoutMs?, intervalMs?, onProgress?}'
        : CALL_SHAPE
    const allowed =
      method === 'waitForPerformanceTest'
        ? 'signal, timeoutMs, intervalMs, onProgress'
        : 'signal, timeoutMs'

    it.each([
      ['NaN', { timeoutMs: Number.NaN }, TIMEOUT_RULE],
      ['0', { timeoutMs: 0 }, TIMEOUT_RULE],
      ['-5', { timeoutMs: -5 }, TIMEOUT_RULE],
      ["'abc'", { timeoutMs: 'abc' }, TIMEOUT_RULE],
      ["'1000'", { timeoutMs: '1000' }, TIMEOUT_RULE],
      ['1.5', { timeoutMs: 1.5 }, TIMEOUT_RULE],
      ['Infinity', { timeoutMs: Number.POSITIVE_INFINITY }, TIMEOUT_RULE],
      ['null timeoutMs', { timeoutMs: null }, TIMEOUT_RULE],
      ['1e12', { timeoutMs: 1e12 }, TIMEOUT_RULE],
      ['2^31', { timeoutMs: MAX_TIMER_MS + 1 }, TIMEOUT_RULE],
      ['{signal: {}}', { signal: {} }, 'signal: expected an AbortSignal'],
      ["{signal: 'x'}", { signal: 'x' }, 'signal: expected an AbortSignal'],
      ['{signal: null}', { signal: null }, 'signal: expected an AbortSignal'],
      ['{foo: 1}', { foo: 1 }, `unknown option 'foo'; allowed: ${allowed}`],
      [
        '{foo: 1, bar: 2}',
        { foo: 1, bar: 2, timeoutMs: 1000 },
        `unknown options 'foo', 'bar'; allowed: ${allowed}`,
      ],
      ['null', null, shape],
      ['a string', '1000', shape],
      ['a number', 1000, shape],
      ['an array', [], shape],
      [
        'an AbortSignal itself',
        new AbortController().signal,
        `${shape}, not an AbortSignal: pass it as { signal }`,
      ],
    ])('refuses %s before any request', async (_name, options, detail) => {
      const error = await rejectionOf(() => call(options))
      expect(error).toMatchObject({ vendor: 'apple', operation, kind: 'invalid_input' })
      expect(error.message).toBe(`Invalid ${method}() options: ${detail}`)
      expect(server.received).toEqual([])
    })

    it('refuses one message for each bad field', async () => {
      const error = await rejectionOf(() => call({ timeoutMs: -1, signal: {} }))
      expect(error.message).toBe(
        `Invalid ${method}() options: signal: expected an AbortSignal; ${TIMEOUT_RULE}`,
      )
      expect(server.received).toEqual([])
    })

    it('accepts a signal and timeoutMs up to the longest timer, or none', async () => {
      for (const options of [
        undefined,
        {},
        { signal: undefined, timeoutMs: undefined },
        { signal: new AbortController().signal, timeoutMs: MAX_TIMER_MS },
        { timeoutMs: 60_000 },
      ]) {
        await settle(call(options))
      }
      expect(server.received.length).toBeGreaterThanOrEqual(5)
    })

    it('accepts timeoutMs 1 (the call may then time out, but it is made)', async () => {
      try {
        await settle(call({ timeoutMs: 1 }))
      } catch (error) {
        expect(error).toMatchObject({ kind: 'timeout' })
      }
    })
  })

  it('notificationHistory() refuses its options where it is called, not at the first next()', () => {
    expect(() => tester.notificationHistory(HOUR_AGO(), { timeoutMs: 0 })).toThrow(
      `Invalid notificationHistory() options: ${TIMEOUT_RULE}`,
    )
    expect(server.received).toEqual([])
  })

  it('check() checks its options before the ticket', async () => {
    const error = await rejectionOf(() => tester.check(null as never, { timeoutMs: 0 }))
    expect(error.message).toBe(`Invalid check() options: ${TIMEOUT_RULE}`)
  })

  describe('of waitForPerformanceTest()', () => {
    it.each([
      [
        'intervalMs -1',
        { intervalMs: -1 },
        'intervalMs: expected a whole number of milliseconds from 0 to 2147483647 (about 24.8 days)',
      ],
      [
        'intervalMs NaN',
        { intervalMs: Number.NaN },
        'intervalMs: expected a whole number of milliseconds from 0 to 2147483647 (about 24.8 days)',
      ],
      [
        'onProgress not a function',
        { onProgress: 'log' },
        'onProgress: expected a function taking the progress of each check',
      ],
      [
        'a clock of its own',
        { clock: {} },
        "unknown option 'clock'; allowed: signal, timeoutMs, intervalMs, onProgress",
      ],
    ])('refuses %s before any request', async (_name, options, detail) => {
      const error = await rejectionOf(() =>
        tester.waitForPerformanceTest(REQUEST_ID, options as never),
      )
      expect(error).toMatchObject({
        operation: 'apple.waitForPerformanceTest',
        kind: 'invalid_input',
      })
      expect(error.message).toBe(`Invalid waitForPerformanceTest() options: ${detail}`)
      expect(server.received).toEqual([])
    })

    it('takes intervalMs 0 and onProgress', async () => {
      const seen: string[] = []
      const result = await tester.waitForPerformanceTest(REQUEST_ID, {
        intervalMs: 0,
        onProgress: (progress) => seen.push(progress.result.result),
      })
      expect(result.result).toBe('PASS')
      expect(seen).toEqual(['PASS'])
    })
  })
})

describe('test notification tokens', () => {
  const TOKEN_RULE =
    'Invalid test notification token: expected the testNotificationToken that send() returned'

  it.each([
    ['.'],
    ['..'],
    ['...'],
    [' .. '],
    ['./'],
    ['-'],
    ['_'],
    ['_-_-'],
    ['a.b'],
    ['a/b'],
    ['a%2e'],
    ['%2e%2e'],
    ['a~b'],
    ['a b'],
    ['ä'],
    [''],
    ['a'.repeat(257)],
  ])('refuse %j before any request', async (token) => {
    const error = await rejectionOf(() => tester.getTestNotificationStatus(token))
    expect(error).toMatchObject({
      operation: 'apple.getTestNotificationStatus',
      kind: 'invalid_input',
    })
    expect(error.message).toBe(TOKEN_RULE)
    expect(server.received).toEqual([])
  })

  it('refuse a ticket whose id is a dot segment', async () => {
    const error = await rejectionOf(() =>
      tester.check({ vendor: 'apple', id: '..', requestedAt: 0 }),
    )
    expect(error.message).toBe(TOKEN_RULE)
    expect(server.received).toEqual([])
  })

  it.each([
    [TOKEN, TOKEN],
    [` ${TOKEN}\n`, TOKEN],
    ['a', 'a'],
    ['-_9', '-_9'],
    ['A'.repeat(256), 'A'.repeat(256)],
  ])('accept %j and ask for /inApps/v1/notifications/test/<token>', async (token, sent) => {
    await tester.getTestNotificationStatus(token)
    expect(server.received.map((request) => request.url)).toEqual([
      `/inApps/v1/notifications/test/${sent}`,
    ])
  })
})
