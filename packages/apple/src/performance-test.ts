import { NotificationTestError, isNotificationTestError, type CallOptions } from '@notiprobe/core'
import {
  callOptionsShape,
  failedMessage,
  milliseconds,
  optionsObjectErrors,
  parseWith,
  poll,
  type Clock,
  type Deadline,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import type { AppleApi } from './api-client.js'
import { expected } from './fields.js'
import { APPLE_OPERATIONS } from './operations.js'
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

const requestSchema = z.lazy(() =>
  z.strictObject({
    originalTransactionId: z
      .string(expected('the originalTransactionId of a Sandbox transaction'))
      .check(
        z.trim(),
        z.regex(/^\d{1,64}$/, {
          error: 'expected the originalTransactionId of a Sandbox transaction, a string of digits',
        }),
      ),
  }),
)

const requestIdSchema = z.lazy(() =>
  z.string(expected('the requestId that initiatePerformanceTest returned')).check(
    z.trim(),
    z.regex(/^[A-Za-z0-9-]{1,128}$/, {
      error: 'expected the requestId that initiatePerformanceTest returned, such as a UUID',
    }),
  ),
)

/** Checks the request before any call: an `invalid_input` error naming the field. */
export function checkPerformanceTestRequest(
  request: ApplePerformanceTestRequest,
): ApplePerformanceTestRequest {
  return parseWith(requestSchema, request, {
    vendor: 'apple',
    operation: APPLE_OPERATIONS.initiatePerformanceTest.name,
    kind: 'invalid_input',
    subject: 'performance test request',
  })
}

/** Starts a performance test of your Get Retention Message endpoint (always in Sandbox). */
export async function initiatePerformanceTest(
  api: AppleApi,
  request: ApplePerformanceTestRequest,
  deadline: Deadline,
): Promise<ApplePerformanceTestStart> {
  try {
    return await api.call(
      'initiatePerformanceTest',
      { path: '/inApps/v1/messaging/performanceTest', json: request },
      performanceTestStartSchema,
      deadline,
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
    message: failedMessage(
      APPLE_OPERATIONS.initiatePerformanceTest,
      'Apple answered HTTP 404 with no body, which means this account has no Retention Messaging access. Request access to the Retention Messaging API for your team (Apple Developer, Retention Messaging), then try again.',
    ),
    cause: error,
  })
}

/** Checks a requestId before any call. */
export function checkPerformanceTestRequestId(requestId: string): string {
  return parseWith(requestIdSchema, requestId, {
    vendor: 'apple',
    operation: APPLE_OPERATIONS.getPerformanceTestResults.name,
    kind: 'invalid_input',
    subject: 'performance test requestId',
  })
}

/** The results so far of a performance test: `PENDING` while it runs, then `PASS` or `FAIL`. */
export function getPerformanceTestResults(
  api: AppleApi,
  requestId: string,
  deadline: Deadline,
): Promise<ApplePerformanceTestResult> {
  return api.call(
    'getPerformanceTestResults',
    { path: `/inApps/v1/messaging/performanceTest/result/${encodeURIComponent(requestId)}` },
    performanceTestResultSchema,
    deadline,
  )
}

const WAIT_FIELDS = ['signal', 'timeoutMs', 'intervalMs', 'onProgress'] as const

const waitOptionsSchema = z.lazy(() =>
  z.optional(
    z.strictObject(
      {
        ...callOptionsShape,
        intervalMs: z.optional(milliseconds(0)),
        onProgress: z.optional(
          z.custom<(progress: ApplePerformanceTestProgress) => void>(
            (value) => typeof value === 'function',
            { error: 'expected a function taking the progress of each check' },
          ),
        ),
      },
      { error: optionsObjectErrors(WAIT_FIELDS) },
    ),
  ),
)

/** Checks `waitForPerformanceTest`'s options, which add `intervalMs` and `onProgress` to a call's. */
export function parseWaitOptions(options: unknown): WaitForPerformanceTestOptions {
  return (
    parseWith(waitOptionsSchema, options, {
      vendor: 'apple',
      operation: APPLE_OPERATIONS.waitForPerformanceTest.name,
      kind: 'invalid_input',
      subject: 'waitForPerformanceTest() options',
    }) ?? {}
  )
}

/**
 * Checks a performance test until its result leaves `PENDING`, spacing checks by Apple's limit,
 * and returns the final result, `PASS` or `FAIL` alike. Throws `timeout` if it is still pending at
 * the deadline and `aborted` if the signal fires.
 */
export function waitForPerformanceTest(
  getResults: (call: CallOptions) => Promise<ApplePerformanceTestResult>,
  requestId: string,
  options: WaitForPerformanceTestOptions & {
    readonly clock: Clock
    readonly minIntervalMs: number
  },
): Promise<ApplePerformanceTestResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PERFORMANCE_TEST_WAIT_MS
  return poll({
    vendor: 'apple',
    operation: APPLE_OPERATIONS.waitForPerformanceTest,
    check: getResults,
    isDone: (result) => result.result !== 'PENDING',
    intervalMs: Math.max(options.intervalMs ?? 0, options.minIntervalMs),
    timeoutMs,
    signal: options.signal,
    clock: options.clock,
    onCheck: (check) =>
      options.onProgress?.({
        requestId,
        result: check.value,
        checks: check.checks,
        elapsedMs: check.elapsedMs,
        nextCheckInMs: check.nextCheckInMs,
      }),
    stillPendingMessage: (last) =>
      `Performance test ${requestId} was still ${last?.result ?? 'unanswered'} after ${Math.round(timeoutMs / 1000)} s${last?.numPending === undefined ? '' : ` (${last.numPending} requests pending)`}; check it again later with getPerformanceTestResults.`,
    abortedMessage: `Waiting for performance test ${requestId} was aborted.`,
  })
}
