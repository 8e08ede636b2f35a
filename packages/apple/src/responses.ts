import { z } from 'zod'

// Apple's response shapes. Loose objects: a field Apple adds later is kept, not refused; a field
// that is there with the wrong type is an `invalid_response`.

/** One attempt to deliver a notification, as Apple reports it. */
export interface AppleSendAttempt {
  /** Epoch milliseconds. */
  readonly attemptDate: number
  /** `SUCCESS`, `TIMED_OUT`, ...; values Apple adds later are kept as they come. */
  readonly sendAttemptResult: string
}

const sendAttemptSchema = z.looseObject({
  attemptDate: z.number(),
  sendAttemptResult: z.string().min(1),
})

export const sendTestNotificationResponseSchema = z.looseObject({
  testNotificationToken: z.string().min(1).max(1024),
})

/** Get Test Notification Status: the TEST notification Apple sent, and how each attempt went. */
export interface AppleTestNotificationStatus {
  /** The TEST notification as Apple signed it; verify before trusting it. */
  readonly signedPayload: string
  readonly sendAttempts: readonly AppleSendAttempt[]
  /** Deprecated by Apple; may still appear. */
  readonly firstSendAttemptResult?: string | undefined
  readonly [field: string]: unknown
}

export const testNotificationStatusSchema: z.ZodType<AppleTestNotificationStatus> = z.looseObject({
  signedPayload: z.string().min(1),
  sendAttempts: z.array(sendAttemptSchema).max(1000).default([]),
  firstSendAttemptResult: z.string().optional(),
})

/** One notification Apple tried to send, from Get Notification History. */
export interface AppleNotificationHistoryRecord {
  /** The notification as Apple signed it; verify before trusting it. */
  readonly signedPayload: string
  readonly sendAttempts: readonly AppleSendAttempt[]
  readonly [field: string]: unknown
}

export const notificationHistoryResponseSchema = z.looseObject({
  notificationHistory: z
    .array(
      z.looseObject({
        signedPayload: z.string().min(1),
        sendAttempts: z.array(sendAttemptSchema).max(1000).default([]),
      }),
    )
    .max(1000),
  hasMore: z.boolean(),
  paginationToken: z.string().min(1).max(4096).optional(),
})

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

const performanceTestConfigSchema = z.looseObject({
  maxConcurrentRequests: z.number().optional(),
  totalRequests: z.number().optional(),
  totalDuration: z.number().optional(),
  responseTimeThreshold: z.number().optional(),
  successRateThreshold: z.number().optional(),
})

/** Initiate Performance Test: the run's settings and the id to ask for its results. */
export interface ApplePerformanceTestStart {
  readonly requestId: string
  readonly config: ApplePerformanceTestConfig
  readonly [field: string]: unknown
}

export const performanceTestStartSchema: z.ZodType<ApplePerformanceTestStart> = z.looseObject({
  requestId: z.string().min(1).max(256),
  config: performanceTestConfigSchema,
})

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

export const performanceTestResultSchema: z.ZodType<ApplePerformanceTestResult> = z.looseObject({
  result: z.string().min(1),
  config: performanceTestConfigSchema.optional(),
  target: z.string().optional(),
  successRate: z.number().optional(),
  numPending: z.number().optional(),
  responseTimes: z
    .looseObject({
      average: z.number().optional(),
      p50: z.number().optional(),
      p90: z.number().optional(),
      p95: z.number().optional(),
      p99: z.number().optional(),
    })
    .optional(),
  failures: z.record(z.string(), z.number()).optional(),
})
