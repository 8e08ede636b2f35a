import type { HistorySource } from './history-sources.js'
import type { ResolvedAppleOptions } from './options.js'
import type { PaginationTokens } from './pagination-token.js'
import type { PerformanceTests } from './performance-tests.js'
import type { TestNotificationService } from './test-notifications.js'

/** Everything the route handlers share; one per running simulator. */
export interface AppleSimulatorState {
  readonly options: ResolvedAppleOptions
  readonly testNotifications: TestNotificationService
  /** Sent notifications first, then seeded batches in the order they were added. */
  readonly historySources: HistorySource[]
  readonly paginationTokens: PaginationTokens
  readonly performanceTests: PerformanceTests
  notificationUrl: string | undefined
  realtimeUrl: string | undefined
}
