export type {
  CallOptions,
  NotificationTester,
  SendAttempt,
  SendOptions,
  TestOutcome,
  TestState,
  TestTicket,
} from './types.js'
export { isFinalState } from './types.js'
export { ERROR_KINDS, kindForHttpStatus, type ErrorKind } from './error-kind.js'
export {
  NotificationTestError,
  isNotificationTestError,
  type NotificationTestErrorInit,
  type NotificationTestErrorJSON,
} from './error.js'
export { redact, redactValue, registerSecret } from './redact.js'
export { redactingLogger, type Logger } from './logger.js'
export { systemClock, systemRandom, type Clock, type Random } from './clock.js'
export { createDeadline, DeadlineExceeded, type Deadline } from './deadline.js'
export { parseRetryAfter } from './retry-after.js'
export {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  mayRetry,
  type CallKind,
  type FailureFacts,
  type RequestReach,
  type RetryPolicy,
} from './retry-policy.js'
export { HOURLY_BURST_SHARE, RateLimiter, hourlyBudget, type RateLimit } from './rate-limiter.js'
export { checkBaseUrl, isLoopbackHost, type BaseUrlContext } from './base-url.js'
export { classifyNetworkFailure, type NetworkFailure } from './network-failure.js'
export { describeIssues, parseWith, type ValidationContext } from './validation.js'
export {
  Transport,
  bodyExcerpt,
  withMessage,
  withRetryable,
  type RequestSpec,
  type ResponseErrorMapper,
  type TransportOptions,
  type VendorResponse,
} from './transport.js'
export {
  DEFAULT_WAIT_TIMEOUT_MS,
  waitForOutcome,
  type CheckingTester,
  type WaitOptions,
  type WaitProgress,
} from './wait-for-outcome.js'
export { runTest, type RunTestOptions, type SendingTester } from './run-test.js'
export {
  runAll,
  type AnyNotificationTester,
  type RunAllOptions,
  type RunEntry,
  type RunProgress,
  type RunReport,
  type RunResult,
} from './run-all.js'
export { VERSION } from './version.js'
