import { z } from '@notiprobe/core/zod'
import { appleNumberSchema, epochMsSchema } from './signed-values.js'

// Apple's response shapes. Loose objects: a field Apple adds later is kept, not refused; a field
// that is there with the wrong type, or a number out of its range (a time a Date cannot hold), is
// an `invalid_response`. Apple's models mark every field optional: where the rest of an answer is
// usable without one, its absence is reported, not a failure of the call.

/** A percentage. */
const percentSchema = z.number().min(0).max(100)
/** A duration in milliseconds, up to a day. */
const durationMsSchema = z.number().min(0).max(86_400_000)

/** One attempt to deliver a notification, as Apple reports it. */
export interface AppleSendAttempt {
  /** Epoch milliseconds. */
  readonly attemptDate: number
  /** `SUCCESS`, `TIMED_OUT`, ...; values Apple adds later are kept as they come. */
  readonly sendAttemptResult: string
}

const sendAttemptSchema = z.looseObject({
  attemptDate: epochMsSchema,
  sendAttemptResult: z.string().min(1).max(256),
})

export const sendTestNotificationResponseSchema = z.looseObject({
  testNotificationToken: z.string().min(1).max(1024),
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
      signedPayload: z.string().min(1).optional(),
      sendAttempts: z.array(sendAttemptSchema).max(1000).default([]),
      firstSendAttemptResult: z.string().max(256).optional(),
    })
    // Each field may be missing, but an answer with none of them says nothing at all.
    .refine(
      (status) =>
        status.signedPayload !== undefined ||
        status.sendAttempts.length > 0 ||
        status.firstSendAttemptResult !== undefined,
      { error: 'holds neither signedPayload nor sendAttempts' },
    ),
)

/** One notification Apple tried to send, from Get Notification History. */
export interface AppleNotificationHistoryRecord {
  /** The notification as Apple signed it; verify before trusting it. */
  readonly signedPayload: string
  readonly sendAttempts: readonly AppleSendAttempt[]
  readonly [field: string]: unknown
}

export const notificationHistoryResponseSchema = z.lazy(() =>
  z.looseObject({
    notificationHistory: z
      .array(
        z.looseObject({
          signedPayload: z.string().min(1),
          sendAttempts: z.array(sendAttemptSchema).max(1000).default([]),
        }),
      )
      .max(1000)
      .default([]),
    hasMore: z.boolean().default(false),
    paginationToken: z.string().min(1).max(4096).optional(),
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
    maxConcurrentRequests: appleNumberSchema.optional(),
    totalRequests: appleNumberSchema.optional(),
    totalDuration: durationMsSchema.optional(),
    responseTimeThreshold: durationMsSchema.optional(),
    successRateThreshold: percentSchema.optional(),
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
    requestId: z.string().min(1).max(256),
    config: performanceTestConfigSchema.optional(),
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
    result: z.string().min(1).max(256),
    config: performanceTestConfigSchema.optional(),
    target: z.string().max(4096).optional(),
    successRate: percentSchema.optional(),
    numPending: appleNumberSchema.optional(),
    responseTimes: z
      .looseObject({
        average: durationMsSchema.optional(),
        p50: durationMsSchema.optional(),
        p90: durationMsSchema.optional(),
        p95: durationMsSchema.optional(),
        p99: durationMsSchema.optional(),
      })
      .optional(),
    failures: z.record(z.string().max(256), appleNumberSchema).optional(),
  }),
)
