import type { RateLimit } from '../common/index.js'
import type { AppleEndpoint } from './endpoints.js'
import type { AppleRateLimitMode } from './options.js'
import type { AppleEnvironment } from './environment.js'

/** Apple's production limits, requests per second per app. */
const PRODUCTION_PER_SECOND: Record<AppleEndpoint, number> = {
  requestTestNotification: 1,
  getTestNotificationStatus: 1,
  getNotificationHistory: 50,
  initiatePerformanceTest: 1,
  getPerformanceTestResults: 1,
}

/** The performance test exists only in sandbox, so its limits are always sandbox ones. */
const SANDBOX_ONLY = new Set<AppleEndpoint>([
  'initiatePerformanceTest',
  'getPerformanceTestResults',
])
const SANDBOX_SHARE = 0.1

/**
 * The window each endpoint is limited over. Apple states its limits per second, says sandbox gets
 * 10 % of them, and that they are "enforced on an hourly basis". 'hourly' (what Apple documents)
 * grants the rate as a budget per hour: 3 600 test requests an hour in production, 360 status
 * checks an hour in sandbox, however close together. 'per-second' is the strict reading: the
 * smallest whole-second window holding a whole number of requests (1 per second, 1 per 10 s in
 * sandbox, 5 history calls per second in sandbox).
 */
export function appleRateLimit(
  endpoint: AppleEndpoint,
  environment: AppleEnvironment,
  mode: Exclude<AppleRateLimitMode, 'off'>,
): RateLimit {
  const sandbox = environment === 'Sandbox' || SANDBOX_ONLY.has(endpoint)
  const perSecond = PRODUCTION_PER_SECOND[endpoint] * (sandbox ? SANDBOX_SHARE : 1)
  if (mode === 'hourly') return { limit: Math.round(perSecond * 3600), windowMs: 3_600_000 }
  const seconds = perSecond >= 1 ? 1 : Math.round(1 / perSecond)
  return { limit: Math.round(perSecond * seconds), windowMs: seconds * 1000 }
}
