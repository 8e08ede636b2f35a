import {
  NotificationTestError,
  createDeadline,
  isNotificationTestError,
  parseWith,
  type CallOptions,
  type Clock,
} from '@notiprobe/core'
import { z } from 'zod'
import type { AppleApi } from './api-client.js'
import { expected } from './fields.js'
import {
  performanceTestResultSchema,
  performanceTestStartSchema,
  type ApplePerformanceTestResult,
  type ApplePerformanceTestStart,
} from './responses.js'

/** Which Sandbox transaction Apple uses for the realtime requests it sends your endpoint. */
export interface ApplePerformanceTestRequest {
  readonly originalTransactionId: string
}

/** Reported after each check while waiting for a performance test. */
export interface ApplePerformanceTestProgress {
  readonly requestId: string
  readonly result: ApplePerformanceTestResult
  /** Checks made so far, this one included. */
  readonly checks: number
  readonly elapsedMs: number
  /** When the next check happens, while the result is `PENDING`. */
  readonly nextCheckInMs: number | undefined
}

export interface WaitForPerformanceTestOptions extends CallOptions {
  /** Whole wait, every check included (15 minutes). */
  readonly timeoutMs?: number | undefined
  /** Time between checks; never less than Apple's limit for the results endpoint. */
  readonly intervalMs?: number | undefined
  readonly onProgress?: ((progress: ApplePerformanceTestProgress) => void) | undefined
}

/** A run lasts `totalDuration` (minutes at most in Apple's configurations); then some slack. */
export const DEFAULT_PERFORMANCE_TEST_WAIT_MS = 15 * 60_000

const requestSchema = z.strictObject({
  originalTransactionId: z
    .string(expected('the originalTransactionId of a Sandbox transaction'))
    .trim()
    .regex(/^\d{1,64}$/, {
      error: 'expected the originalTransactionId of a Sandbox transaction, a string of digits',
    }),
})

const requestIdSchema = z
  .string(expected('the requestId that initiatePerformanceTest returned'))
  .trim()
  .regex(/^[A-Za-z0-9-]{1,128}$/, {
    error: 'expected the requestId that initiatePerformanceTest returned, such as a UUID',
  })

/** Starts a performance test of your Get Retention Message endpoint (always in Sandbox). */
export async function initiatePerformanceTest(
  api: AppleApi,
  request: ApplePerformanceTestRequest,
  options: CallOptions = {},
): Promise<ApplePerformanceTestStart> {
  const operation = 'apple.initiatePerformanceTest'
  const body = parseWith(requestSchema, request, {
    vendor: 'apple',
    operation,
    kind: 'invalid_input',
    subject: 'performance test request',
  })
  try {
    return await api.call(
      'initiatePerformanceTest',
      { path: '/inApps/v1/messaging/performanceTest', json: body },
      performanceTestStartSchema,
      options,
    )
  } catch (error) {
    throw withoutAccessExplained(error)
  }
}

/**
 * Apple answers Initiate Performance Test with a 404 and no body at all when the developer
 * account has no access to the Retention Messaging API: a 404 that names no error code.
 */
function withoutAccessExplained(error: unknown): unknown {
  if (
    !isNotificationTestError(error) ||
    error.httpStatus !== 404 ||
    error.vendorCode !== undefined ||
    (error.vendorMessage !== undefined && error.vendorMessage.trim() !== '')
  ) {
    return error
  }
  return new NotificationTestError({
    vendor: 'apple',
    operation: error.operation,
    kind: 'forbidden',
    httpStatus: 404,
    retryable: false,
    requestId: error.requestId,
    message:
      'apple.initiatePerformanceTest failed: Apple answered HTTP 404 with no body, which means this account has no Retention Messaging access. Request access to the Retention Messaging API for your team (Apple Developer, Retention Messaging), then try again.',
    cause: error,
  })
}

/** The results so far of a performance test: `PENDING` while it runs, then `PASS` or `FAIL`. */
export async function getPerformanceTestResults(
  api: AppleApi,
  requestId: string,
  options: CallOptions = {},
): Promise<ApplePerformanceTestResult> {
  const id = parseWith(requestIdSchema, requestId, {
    vendor: 'apple',
    operation: 'apple.getPerformanceTestResults',
    kind: 'invalid_input',
    subject: 'performance test requestId',
  })
  return api.call(
    'getPerformanceTestResults',
    { path: `/inApps/v1/messaging/performanceTest/result/${encodeURIComponent(id)}` },
    performanceTestResultSchema,
    options,
  )
}

/**
 * Checks a performance test until its result leaves `PENDING`, spacing checks by Apple's limit,
 * and returns the final result, `PASS` or `FAIL` alike. Throws `timeout` if it is still pending at
 * the deadline and `aborted` if the signal fires.
 */
export async function waitForPerformanceTest(
  api: AppleApi,
  requestId: string,
  options: WaitForPerformanceTestOptions & {
    readonly clock: Clock
    readonly minIntervalMs: number
  },
): Promise<ApplePerformanceTestResult> {
  const { clock } = options
  const operation = 'apple.waitForPerformanceTest'
  const timeoutMs = options.timeoutMs ?? DEFAULT_PERFORMANCE_TEST_WAIT_MS
  const interval = Math.max(options.intervalMs ?? 0, options.minIntervalMs)
  const deadline = createDeadline({ signal: options.signal, timeoutMs }, clock)
  const started = clock.now()
  let last: ApplePerformanceTestResult | undefined

  const stillPending = (): NotificationTestError =>
    new NotificationTestError({
      vendor: 'apple',
      operation,
      kind: 'timeout',
      retryable: true,
      message: `Performance test ${requestId} was still ${last?.result ?? 'unanswered'} after ${Math.round(timeoutMs / 1000)} s${last?.numPending === undefined ? '' : ` (${last.numPending} requests pending)`}; check it again later with getPerformanceTestResults.`,
    })
  // The deadline or the caller ended a check or a pause: say which, in this call's terms.
  const interruption = (error: unknown): NotificationTestError | undefined => {
    if (!deadline.signal.aborted) return undefined
    if (deadline.timedOut()) return stillPending()
    if (isNotificationTestError(error) && error.kind === 'aborted') return error
    return new NotificationTestError({
      vendor: 'apple',
      operation,
      kind: 'aborted',
      message: `Waiting for performance test ${requestId} was aborted.`,
    })
  }

  try {
    for (let checks = 1; ; checks++) {
      try {
        last = await getPerformanceTestResults(api, requestId, {
          signal: deadline.signal,
          timeoutMs: Math.max(1, deadline.remainingMs()),
        })
      } catch (error) {
        throw interruption(error) ?? error
      }
      const done = last.result !== 'PENDING'
      const fits = clock.now() + interval < deadline.expiresAt
      options.onProgress?.({
        requestId,
        result: last,
        checks,
        elapsedMs: clock.now() - started,
        nextCheckInMs: done || !fits ? undefined : interval,
      })
      if (done) return last
      if (!fits) throw stillPending()
      try {
        await clock.sleep(interval, deadline.signal)
      } catch (error) {
        throw interruption(error) ?? error
      }
    }
  } finally {
    deadline.dispose()
  }
}
