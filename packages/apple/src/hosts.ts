import { hourlyBudget, type BodyRead, type CallKind, type RateLimit } from '@notiprobe/core/adapter'
import type { AppleEnvironment } from './environment.js'

export const APPLE_PRODUCTION_URL = 'https://api.storekit.apple.com'
export const APPLE_SANDBOX_URL = 'https://api.storekit-sandbox.apple.com'

/** The App Store Server API host of an environment. */
export function appleBaseUrl(environment: AppleEnvironment): string {
  return environment === 'Production' ? APPLE_PRODUCTION_URL : APPLE_SANDBOX_URL
}

export type AppleEndpointName =
  | 'requestTestNotification'
  | 'getTestNotificationStatus'
  | 'getNotificationHistory'
  | 'initiatePerformanceTest'
  | 'getPerformanceTestResults'

export interface AppleEndpoint {
  readonly method: 'GET' | 'POST'
  /** `send` calls have visible effects and are never repeated once they may have arrived. */
  readonly callKind: CallKind
  /** Apple's production limit, requests per second per app. */
  readonly perSecond: number
  /** The Retention Messaging performance test exists only in Sandbox, whatever the client's environment. */
  readonly sandboxOnly: boolean
  /** `stream` for the pages of a long read: memory stays flat however many are read. */
  readonly bodyRead?: BodyRead
}

export const APPLE_ENDPOINTS: Readonly<Record<AppleEndpointName, AppleEndpoint>> = {
  requestTestNotification: { method: 'POST', callKind: 'send', perSecond: 1, sandboxOnly: false },
  getTestNotificationStatus: { method: 'GET', callKind: 'read', perSecond: 1, sandboxOnly: false },
  // A POST, but it only reads: safe to repeat.
  getNotificationHistory: {
    method: 'POST',
    callKind: 'read',
    perSecond: 50,
    sandboxOnly: false,
    bodyRead: 'stream',
  },
  // Starts a load test against your server: a send.
  initiatePerformanceTest: { method: 'POST', callKind: 'send', perSecond: 1, sandboxOnly: true },
  getPerformanceTestResults: { method: 'GET', callKind: 'read', perSecond: 1, sandboxOnly: true },
}

/** Sandbox gets a tenth of the production rate limits. */
export const SANDBOX_RATE_SHARE = 0.1

/** The environment an endpoint's calls really run in. */
export function endpointEnvironment(
  endpoint: AppleEndpointName,
  environment: AppleEnvironment,
): AppleEnvironment {
  return APPLE_ENDPOINTS[endpoint].sandboxOnly ? 'Sandbox' : environment
}

/**
 * How the client keeps Apple's limits. `hourly` (default): Apple's per-second limits are "enforced
 * on an hourly basis", so calls may burst as long as no hour holds more than the budget
 * (Sandbox: 360 status checks an hour). `per-second`: the strict reading, every call spaced (one
 * Sandbox status check per 10 s). `off`: no client-side limit (simulators and tests).
 */
export type AppleRateLimits = 'hourly' | 'per-second' | 'off'

/** Apple's documented rate for an endpoint in an environment, requests per second per app. */
function applePerSecond(endpoint: AppleEndpointName, environment: AppleEnvironment): number {
  const share = endpointEnvironment(endpoint, environment) === 'Sandbox' ? SANDBOX_RATE_SHARE : 1
  return APPLE_ENDPOINTS[endpoint].perSecond * share
}

/** The client-side limit of an endpoint in an environment, read as `mode` says. */
export function appleRateLimit(
  endpoint: AppleEndpointName,
  environment: AppleEnvironment,
  mode: Exclude<AppleRateLimits, 'off'>,
): RateLimit {
  const perSecond = applePerSecond(endpoint, environment)
  return mode === 'hourly' ? hourlyBudget(perSecond * 3600) : { perSecond, burst: 1 }
}

/** Polling a simulator or a test server with rate limits off: still not a busy loop. */
const UNLIMITED_POLL_INTERVAL_MS = 250

/**
 * Time between two polls of an endpoint. Per second: the strict spacing (10 s for a Sandbox status
 * check). Hourly: Production's spacing in both environments (1 s); the rate limiter spaces calls
 * further only when the hour's budget runs low, so polling slows down instead of failing.
 */
export function applePollIntervalMs(
  endpoint: AppleEndpointName,
  environment: AppleEnvironment,
  mode: AppleRateLimits,
): number {
  if (mode === 'off') return UNLIMITED_POLL_INTERVAL_MS
  const perSecond =
    mode === 'hourly' ? APPLE_ENDPOINTS[endpoint].perSecond : applePerSecond(endpoint, environment)
  return Math.ceil(1000 / perSecond)
}
