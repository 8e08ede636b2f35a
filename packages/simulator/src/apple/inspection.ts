import type { FaultCount, FaultSpec, RequestLogEntry } from '../common/index.js'
import type { AppleEndpoint } from './endpoints.js'
import type { AppleEnvironment } from './environment.js'
import type { PerformanceTestInspection } from './performance-tests.js'
import type { TestNotificationRecord } from './test-notifications.js'

/** A request refused with 401, and why (Apple's body never says). */
export interface AuthFailure {
  receivedAt: number
  endpoint: AppleEndpoint
  reason: string
}

/** Everything the simulator received and did, for tests and `GET /__simulator/inspect`. */
export interface AppleSimulatorInspection {
  vendor: 'apple'
  baseUrl: string
  environment: AppleEnvironment
  bundleId: string
  appAppleId: number
  notificationUrl?: string
  realtimeUrl?: string
  requests: RequestLogEntry[]
  authFailures: AuthFailure[]
  testNotifications: TestNotificationRecord[]
  performanceTests: PerformanceTestInspection[]
  history: { sent: number; seeded: number }
  faults: {
    active: Partial<Record<AppleEndpoint, FaultSpec & { remaining?: number }>>
    count: FaultCount<AppleEndpoint>
  }
}
