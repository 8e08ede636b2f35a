import { z } from '@notiprobe/core/zod'
import { appleNumberSchema, epochMsSchema } from './signed-values.js'

// Apple's response shapes. Loose objects: a field Apple adds later is kept, not refused; a field
// that is there with the wrong type, or a number out of its range (a time a Date cannot hold), is
// an `invalid_response`. Apple's models mark every field optional: where the rest of an answer is
// usable without one, its absence is reported, not a failure of the call.

/** A percentage. */
const percentSchema = z.number().check(z.gte(0), z.lte(100))
/** A duration in milliseconds, up to a day. */
const durationMsSchema = z.number().check(z.gte(0), z.lte(86_400_000))

/** One attempt to deliver a notification, as Apple reports it. */
export interface AppleSendAttempt {
  /** Epoch milliseconds. */
  readonly attemptDate: number
  /** `SUCCESS`, `TIMED_OUT`, ...; values Apple adds later are kept as they come. */
  readonly sendAttemptResult: string
}

const sendAttemptSchema = z.looseObject({
  attemptDate: epochMsSchema,
  sendAttemptResult: z.string().check(z.minLength(1), z.maxLength(256)),
})

export const sendTestNotificationResponseSchema = z.looseObject({
  testNotificationToken: z.string().check(z.minLength(1), z.maxLength(1024)),
})

/** Get Test Notification Status: the TEST notification Apple sent, and how each attempt went. */
export interface AppleTestNotificationStatus {
  /** The TEST notification as Apple signed it; verify before trusting it. Absent: nothing to verify. */
  readonly signedPayload?: string | undefined
  readonly sendAttempts: readonly AppleSendAttempt[]
  /** Deprecated by Apple; may still appear. */
  readonly firstSendAttemptResult?: string | undefined
  readonly [field: string]: unknown
}

export const testNotificationStatusSchema: z.ZodType<AppleTestNotificationStatus> = z.lazy(() =>
  z
    .looseObject({
      signedPayload: z.optional(z.string().check(z.minLength(1))),
      sendAttempts: z._default(z.array(sendAttemptSchema).check(z.maxLength(1000)), []),
      firstSendAttemptResult: z.optional(z.string().check(z.maxLength(256))),
    })
    .check(
      z.refine(
        (status) =>
          status.signedPayload !== undefined ||
          status.sendAttempts.length > 0 ||
          status.firstSendAttemptResult !== undefined,
        { error: 'holds neither signedPayload nor sendAttempts' },
      ),
    ),
)

/** One notification Apple tried to send, from Get Notification History. */
export interface AppleNotificationHistoryRecord {
  /** The notification as Apple signed it; verify before trusting it. */
  readonly signedPayload: string
  readonly sendAttempts: readonly AppleSendAttempt[]
  readonly [field: string]: unknown
}

export const notificationHistoryResponseSchema = z.compiled(() =>
  z.looseObject({
    notificationHistory: z._default(
      z
        .array(
          z.looseObject({
            signedPayload: z.string().check(z.minLength(1)),
            sendAttempts: z._default(z.array(sendAttemptSchema).check(z.maxLength(1000)), []),
          }),
        )
        .check(z.maxLength(1000)),
      [],
    ),
    hasMore: z._default(z.boolean(), false),
    paginationToken: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
  }),
)

/** How Apple runs a performance test of your Get Retention Message endpoint. */
export interface ApplePerformanceTestConfig {
  readonly maxConcurrentRequests?: number | undefined
  readonly totalRequests?: number | undefined
  /** Milliseconds. */
  readonly totalDuration?: number | undefined
  /** Milliseconds your endpoint must answer within. */
  readonly responseTimeThreshold?: number | undefined
  /** Percentage of requests that must succeed. */
  readonly successRateThreshold?: number | undefined
  readonly [field: string]: unknown
}

const performanceTestConfigSchema = z.lazy(() =>
  z.looseObject({
    maxConcurrentRequests: z.optional(appleNumberSchema),
    totalRequests: z.optional(appleNumberSchema),
    totalDuration: z.optional(durationMsSchema),
    responseTimeThreshold: z.optional(durationMsSchema),
    successRateThreshold: z.optional(percentSchema),
  }),
)

/** Initiate Performance Test: the run's settings and the id to ask for its results. */
export interface ApplePerformanceTestStart {
  readonly requestId: string
  /** Absent when Apple leaves it out; the run goes on with Apple's settings. */
  readonly config?: ApplePerformanceTestConfig | undefined
  readonly [field: string]: unknown
}

export const performanceTestStartSchema: z.ZodType<ApplePerformanceTestStart> = z.lazy(() =>
  z.looseObject({
    requestId: z.string().check(z.minLength(1), z.maxLength(256)),
    config: z.optional(performanceTestConfigSchema),
  }),
)

/** `PENDING` while running, then `PASS` or `FAIL`; values Apple adds later are kept. */
export type ApplePerformanceTestState = 'PENDING' | 'PASS' | 'FAIL' | (string & {})

/** Get Performance Test Results. */
export interface ApplePerformanceTestResult {
  readonly result: ApplePerformanceTestState
  readonly config?: ApplePerformanceTestConfig | undefined
  /** Your realtime URL that Apple tested. */
  readonly target?: string | undefined
  /** Percentage. */
  readonly successRate?: number | undefined
  readonly numPending?: number | undefined
  /** Milliseconds. */
  readonly responseTimes?:
    | {
        readonly average?: number | undefined
        readonly p50?: number | undefined
        readonly p90?: number | undefined
        readonly p95?: number | undefined
        readonly p99?: number | undefined
        readonly [field: string]: unknown
      }
    | undefined
  /** Failed requests by `sendAttemptResult`. */
  readonly failures?: Readonly<Record<string, number>> | undefined
  readonly [field: string]: unknown
}

export const performanceTestResultSchema: z.ZodType<ApplePerformanceTestResult> = z.lazy(() =>
  z.looseObject({
    result: z.string().check(z.minLength(1), z.maxLength(256)),
    config: z.optional(performanceTestConfigSchema),
    target: z.optional(z.string().check(z.maxLength(4096))),
    successRate: z.optional(percentSchema),
    numPending: z.optional(appleNumberSchema),
    responseTimes: z.optional(
      z.looseObject({
        average: z.optional(durationMsSchema),
        p50: z.optional(durationMsSchema),
        p90: z.optional(durationMsSchema),
        p95: z.optional(durationMsSchema),
        p99: z.optional(durationMsSchema),
      }),
    ),
    failures: z.optional(z.record(z.string().check(z.maxLength(256)), appleNumberSchema)),
  }),
)
