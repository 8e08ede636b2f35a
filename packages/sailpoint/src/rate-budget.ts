import { RateLimiter, type Clock, type RequestSpec } from '@notiprobe/core/adapter'

/**
 * SailPoint's API budget, shared by every tester of one client in this process. SailPoint
 * documents 100 requests per access token per 10 s; its 2026-03 documentation counts them per
 * client id instead. Counting per client id meets both: a new token, or a second tester with the
 * same credentials, never gets a fresh budget, and a 429 holds back every call of that client
 * until its `Retry-After`, whichever token made it.
 */

/** One limiter per clock, so testers on an injected clock never share time with real ones. */
const limiters = new WeakMap<Clock, RateLimiter>()

export function sharedRateLimiter(clock: Clock): RateLimiter {
  let limiter = limiters.get(clock)
  if (limiter === undefined) {
    limiter = new RateLimiter(clock)
    limiters.set(clock, limiter)
  }
  return limiter
}

/** The limiter key of one client on one API host. */
export function rateBudgetKey(baseUrl: string, clientId: string): string {
  return `sailpoint.api ${new URL(baseUrl).origin} ${clientId}`
}

/** The rate limit every API request of a tester carries, or none when limits are off. */
export function rateLimitSpec(
  limit: NonNullable<RequestSpec['rateLimit']>['limit'] | undefined,
  baseUrl: string,
  clientId: string,
): RequestSpec['rateLimit'] {
  return limit === undefined ? undefined : { key: rateBudgetKey(baseUrl, clientId), limit }
}
