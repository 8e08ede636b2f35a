export { startAppleSimulator } from './apple-simulator.js'
export type { AppleSimulator } from './apple-simulator.js'
export type { AppleSimulatorInspection, AuthFailure } from './inspection.js'
export type { AppleEnvironment } from './environment.js'
export type { AppleApiKeyRegistration, AppleSimulatorCredentials } from './api-keys.js'
export { APPLE_INTERMEDIATE_OID, APPLE_LEAF_OID } from './certificate-chain.js'
export { APPLE_ENDPOINTS } from './endpoints.js'
export type { AppleEndpoint } from './endpoints.js'
export type { AppleRateLimitMode, AppleSimulatorOptions } from './options.js'
export type {
  PerformanceTestConfig,
  PerformanceTestResult,
  PerformanceTestStatus,
} from './performance-test-run.js'
export type { PerformanceTestInspection } from './performance-tests.js'
export type { ResponseTimes } from './response-time-stats.js'
export type { SeededHistory, SeedHistoryOptions } from './seed-history.js'
export type { SendAttempt, SendAttemptResult } from './send-attempt-result.js'
export type { KnownNotificationType, NotificationType } from './notification-types.js'
export type { NotificationSpec } from './notification-payloads.js'
export type { SentNotificationResult } from './apple-simulator.js'
export type { OcspMode, OcspResponder } from './ocsp-responder.js'
export type { DeliveryAttempt, TestNotificationRecord } from './test-notifications.js'
