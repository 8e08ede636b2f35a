export { createAppleTester, type AppleTester } from './tester.js'
export type { AppleTesterOptions } from './options.js'
export { APPLE_ENV, appleOptionsFromEnv, appleVerificationOptionsFromEnv } from './env.js'
export { APPLE_ENVIRONMENTS, type AppleEnvironment } from './environment.js'
export { APPLE_PRODUCTION_URL, APPLE_SANDBOX_URL, type AppleRateLimits } from './hosts.js'
export { createAppleRateLimiter } from './rate-limiter.js'
export type { AppleTestOutcome, AppleTestTicket } from './test-notification.js'
export { SEND_ATTEMPT_RESULTS, describeSendAttemptResult } from './send-attempt-results.js'
export { HISTORY_RETENTION_DAYS, type AppleNotificationHistoryRequest } from './history.js'
export {
  DEFAULT_PERFORMANCE_TEST_WAIT_MS,
  type ApplePerformanceTestProgress,
  type ApplePerformanceTestRequest,
  type WaitForPerformanceTestOptions,
} from './performance-test.js'
export type {
  AppleNotificationHistoryRecord,
  ApplePerformanceTestConfig,
  ApplePerformanceTestResult,
  ApplePerformanceTestStart,
  ApplePerformanceTestState,
  AppleSendAttempt,
  AppleTestNotificationStatus,
} from './responses.js'
export { APPLE_ERROR_CODES, type AppleErrorCodeInfo } from './error-codes.js'
export { APPLE_OPERATIONS } from './operations.js'
export { mapAppleError, type AppleErrorContext } from './map-error.js'
export {
  createSignedPayloadVerifier,
  verifySignedPayload,
  type SignedPayloadVerifier,
  type VerifySignedPayloadOptions,
} from './verify-signed-payload.js'
export {
  notificationApp,
  type AppleAppData,
  type AppleExternalPurchaseToken,
  type AppleNotificationData,
  type AppleNotificationPayload,
  type AppleNotificationSummary,
  type NotificationApp,
} from './notification-payload.js'
export type {
  AppleAppTransaction,
  AppleRenewalInfo,
  AppleTransactionInfo,
} from './signed-values.js'
export type { OnlineChecksOptions } from './online-checks-options.js'
export type { RootCertificateInput } from './trusted-roots.js'
export { APPLE_ROOT_CA_G3_PEM, APPLE_ROOT_CA_G3_SHA256 } from './apple-root-ca-g3.js'
export {
  createNotificationHandler,
  type NotificationHandler,
  type NotificationHandlerOptions,
} from './receiver.js'
