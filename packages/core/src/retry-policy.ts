import type { Random } from './clock.js'

/**
 * Whether a call may be repeated without visible effects. A send has them (an email, a Slack post,
 * a POST to a production server) and no vendor takes an idempotency key.
 */
export type CallKind = 'send' | 'read'

/** How far a failed request got, as far as the client can tell. */
export type RequestReach =
  /** It never left: connection refused, DNS failure. Safe to repeat anything. */
  | 'not_sent'
  /** It may have been processed: a timeout or a dropped connection. */
  | 'unknown'
  /** The vendor answered. */
  | 'answered'

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number
  /** Backoff ceiling before the first retry; doubles each retry. */
  readonly baseDelayMs: number
  /** Most any backoff may wait. */
  readonly maxDelayMs: number
  /** Most a vendor's `Retry-After` may make us wait; beyond it the call gives up and reports it. */
  readonly maxRetryAfterMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
}

export interface FailureFacts {
  readonly reach: RequestReach
  readonly httpStatus?: number | undefined
  /** The vendor said this answer may be retried (Apple 5000001, retryable 404s). */
  readonly vendorSaysRetryable?: boolean | undefined
}

/**
 * The design's retry rule. Sends: only when the request never left or the vendor said so (429 or a
 * retryable code); never after a timeout or a dropped connection. Reads: also on 5xx and on any
 * network failure.
 */
export function mayRetry(callKind: CallKind, failure: FailureFacts): boolean {
  if (failure.reach === 'not_sent') return true
  if (failure.httpStatus === 429 || failure.vendorSaysRetryable === true) return true
  if (callKind === 'send') return false
  if (failure.reach === 'unknown') return true
  return failure.httpStatus !== undefined && failure.httpStatus >= 500
}

/** Full-jitter exponential backoff: uniform in [0, min(max, base * 2^retry)). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: Random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry)
  return Math.floor(random() * ceiling)
}
