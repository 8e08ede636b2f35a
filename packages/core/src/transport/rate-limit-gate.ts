import type { Clock } from '../clock.js'
import type { Deadline } from '../deadline.js'
import { NotificationTestError } from '../error.js'
import type { Operation } from '../operations.js'
import { RateLimiter, type RateLimit } from '../rate-limiter.js'
import { formatDuration } from './format-duration.js'

/** The vendor's limit for one endpoint: calls on `key` wait for a slot; a rate-limit answer holds `key` back. */
export interface EndpointRateLimit {
  readonly key: string
  readonly limit: RateLimit
}

/**
 * The transport's side of rate limits: wait for the endpoint's slot within the call's deadline, and
 * after a rate-limit answer (429, GitHub's 403) hold every call on that endpoint back until the
 * vendor's `Retry-After`.
 */
export class RateLimitGate {
  readonly #vendor: string
  readonly #clock: Clock
  readonly #limiter: RateLimiter

  constructor(vendor: string, clock: Clock, limiter: RateLimiter = new RateLimiter(clock)) {
    this.#vendor = vendor
    this.#clock = clock
    this.#limiter = limiter
  }

  /**
   * Milliseconds to wait for the slot, 0 when it is free now. A slot beyond the deadline is not
   * waited for: a retry reports the error that caused it (`lastError`), a first attempt says why
   * nothing was sent.
   */
  reserve(
    rateLimit: EndpointRateLimit | undefined,
    operation: Operation,
    deadline: Deadline,
    lastError: NotificationTestError | undefined,
  ): number {
    if (rateLimit === undefined) return 0
    // A slot past the deadline is not reserved: the call is not made, so it spends no budget.
    const remaining = deadline.expiresAt - this.#clock.now()
    const wait = this.#limiter.reserve(rateLimit.key, rateLimit.limit, remaining)
    if (wait <= 0 || this.#clock.now() + wait < deadline.expiresAt) return Math.max(0, wait)
    if (lastError !== undefined) throw lastError
    const blockedUntil = this.#limiter.blockedUntil(rateLimit.key)
    const vendor = this.#vendor
    if (blockedUntil > 0) {
      throw new NotificationTestError({
        vendor,
        operation: operation.name,
        kind: 'rate_limited',
        message: `${operation.label} was not sent: ${vendor} rate limited an earlier call on this endpoint and asked to wait until ${formatInstant(blockedUntil)}, past this call's deadline. Call again after that.`,
        retryable: true,
        retryAfterMs: blockedUntil - this.#clock.now(),
      })
    }
    throw new NotificationTestError({
      vendor,
      operation: operation.name,
      kind: 'timeout',
      message: `${operation.label} would have to wait ${formatDuration(wait)} for ${vendor}'s rate limit on this endpoint, past the call's deadline; nothing was sent. Raise timeoutMs or call again later.`,
      retryable: true,
    })
  }

  /** Whether a wait on this endpoint is the vendor's (an earlier rate-limit answer holds it back) or our budget's. */
  waitSource(rateLimit: EndpointRateLimit | undefined): 'vendor' | 'budget' {
    if (rateLimit === undefined) return 'budget'
    return this.#limiter.blockedUntil(rateLimit.key) > this.#clock.now() ? 'vendor' : 'budget'
  }

  /** After a rate-limit answer: nothing on this endpoint before the vendor's `Retry-After` (1 s if it gave none). */
  rateLimited(rateLimit: EndpointRateLimit | undefined, retryAfterMs: number | undefined): void {
    if (rateLimit === undefined) return
    this.#limiter.block(rateLimit.key, this.#clock.now() + (retryAfterMs ?? 1000))
  }
}

/** An instant as ISO 8601, or as a number when no Date can hold it. */
function formatInstant(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms`
}
