/** The Apple endpoints the simulator serves; also the names faults and rate limits are set on. */
export const APPLE_ENDPOINTS = [
  'requestTestNotification',
  'getTestNotificationStatus',
  'getNotificationHistory',
  'initiatePerformanceTest',
  'getPerformanceTestResults',
] as const

export type AppleEndpoint = (typeof APPLE_ENDPOINTS)[number]

/** A request matched to an endpoint, with its path parameter (token or request id) if any. */
export interface AppleRoute {
  endpoint: AppleEndpoint
  /** The decoded last path segment for the two GET endpoints. */
  param?: string
  /** The raw query string without `?`. */
  query: string
}

const TEST_STATUS_PREFIX = '/inApps/v1/notifications/test/'
const PERF_RESULT_PREFIX = '/inApps/v1/messaging/performanceTest/result/'

/** Maps a method and URL to an endpoint; undefined for anything Apple would answer 404 to. */
export function matchAppleRoute(method: string, url: string): AppleRoute | undefined {
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  const query = q === -1 ? '' : url.slice(q + 1)
  if (method === 'POST') {
    if (path === '/inApps/v1/notifications/test')
      return { endpoint: 'requestTestNotification', query }
    if (path === '/inApps/v1/notifications/history')
      return { endpoint: 'getNotificationHistory', query }
    if (path === '/inApps/v1/messaging/performanceTest')
      return { endpoint: 'initiatePerformanceTest', query }
    return undefined
  }
  if (method === 'GET') {
    const token = lastSegment(path, TEST_STATUS_PREFIX)
    if (token !== undefined) return { endpoint: 'getTestNotificationStatus', param: token, query }
    const id = lastSegment(path, PERF_RESULT_PREFIX)
    if (id !== undefined) return { endpoint: 'getPerformanceTestResults', param: id, query }
  }
  return undefined
}

function lastSegment(path: string, prefix: string): string | undefined {
  if (!path.startsWith(prefix)) return undefined
  const rest = path.slice(prefix.length)
  if (rest === '' || rest.includes('/')) return undefined
  try {
    return decodeURIComponent(rest)
  } catch {
    // A broken percent-escape is still "a malformed token", which the handler reports.
    return rest
  }
}
