import type { CallKind, RateLimit } from '@notiprobe/core/adapter'
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
}

export const APPLE_ENDPOINTS: Readonly<Record<AppleEndpointName, AppleEndpoint>> = {
  requestTestNotification: { method: 'POST', callKind: 'send', perSecond: 1, sandboxOnly: false },
  getTestNotificationStatus: { method: 'GET', callKind: 'read', perSecond: 1, sandboxOnly: false },
  // A POST, but it only reads: safe to repeat.
  getNotificationHistory: { method: 'POST', callKind: 'read', perSecond: 50, sandboxOnly: false },
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

/** Apple's documented limit for an endpoint in an environment. */
export function appleRateLimit(
  endpoint: AppleEndpointName,
  environment: AppleEnvironment,
): RateLimit {
  const share = endpointEnvironment(endpoint, environment) === 'Sandbox' ? SANDBOX_RATE_SHARE : 1
  return { perSecond: APPLE_ENDPOINTS[endpoint].perSecond * share, burst: 1 }
}

/** Least time between two calls to an endpoint that stays within its limit. */
export function appleMinIntervalMs(
  endpoint: AppleEndpointName,
  environment: AppleEnvironment,
): number {
  return Math.ceil(1000 / appleRateLimit(endpoint, environment).perSecond)
}
