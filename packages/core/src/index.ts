/**
 * @notiprobe/core: the contract every vendor adapter implements and every caller relies on. The kit
 * adapters are built from is `@notiprobe/core/adapter`; test helpers are `@notiprobe/core/testing`.
 */
export type {
  CallOptions,
  NotificationTester,
  SendAttempt,
  SendOptions,
  TestOutcome,
  TestState,
  TestTicket,
} from './types.js'
export { isFinalState, isPassing } from './types.js'
export { ERROR_KINDS, type ErrorKind } from './error-kind.js'
export {
  NotificationTestError,
  isNotificationTestError,
  type NotificationTestErrorInit,
  type NotificationTestErrorJSON,
} from './error.js'
export { redact } from './redact.js'
export type { Clock, Random } from './clock.js'
export type { Logger } from './logger.js'
export type {
  AdapterEvent,
  AdapterEventListener,
  ConnectingEvent,
  RateLimitWaitEvent,
  RetryEvent,
} from './adapter-events.js'
export type { RetryPolicy } from './retry-policy.js'
export type { RateLimit } from './rate-limiter.js'
export {
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
