import type { Clock } from './clock.js'
import { systemClock } from './clock.js'

/** A vendor's documented limit for one endpoint. */
export interface RateLimit {
  /** Calls allowed per second (Apple sandbox status: 0.1). */
  readonly perSecond: number
  /** Calls that may go at once before spacing applies; 1 spaces every call. */
  readonly burst?: number
}

/**
 * Keeps calls to each endpoint within the vendor's limit by spacing them (a token bucket), and holds
 * every call back after a 429 until the vendor's `Retry-After`. Slots are reserved in call order,
 * so concurrent callers queue instead of racing.
 */
export class RateLimiter {
  readonly #clock: Clock
  readonly #buckets = new Map<string, { tokens: number; updatedAt: number; blockedUntil: number }>()

  constructor(clock: Clock = systemClock) {
    this.#clock = clock
  }

  /** Milliseconds the next call on `key` must wait; reserves its slot. */
  reserve(key: string, limit: RateLimit): number {
    const now = this.#clock.now()
    const burst = Math.max(1, limit.burst ?? 1)
    const rate = limit.perSecond
    const bucket = this.#buckets.get(key) ?? { tokens: burst, updatedAt: now, blockedUntil: 0 }
    // Count from the end of a 429 block: nothing may go before it, and spacing resumes after it.
    const from = Math.max(now, bucket.blockedUntil)
    const refill = (Math.max(0, from - bucket.updatedAt) / 1000) * rate
    bucket.tokens = Math.min(burst, bucket.tokens + refill) - 1
    bucket.updatedAt = Math.max(from, bucket.updatedAt)
    this.#buckets.set(key, bucket)
    const spacing = bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens / rate) * 1000)
    return bucket.updatedAt - now + spacing
  }

  /** Waits for the next slot on `key`; rejects if `signal` aborts first. */
  async acquire(key: string, limit: RateLimit, signal?: AbortSignal): Promise<void> {
    const wait = this.reserve(key, limit)
    if (wait > 0) await this.#clock.sleep(wait, signal)
  }

  /** Until when (epoch milliseconds) the vendor's last 429 holds `key` back; 0 when it does not. */
  blockedUntil(key: string): number {
    const until = this.#buckets.get(key)?.blockedUntil ?? 0
    return until > this.#clock.now() ? until : 0
  }

  /**
   * After a 429: no call on `key` before `until` (epoch milliseconds). The refused call's slot is
   * given back, so its retry goes as soon as the vendor allows rather than a whole interval later.
   */
  block(key: string, until: number): void {
    const now = this.#clock.now()
    const bucket = this.#buckets.get(key) ?? { tokens: 0, updatedAt: now, blockedUntil: 0 }
    bucket.tokens += 1
    bucket.blockedUntil = Math.max(bucket.blockedUntil, until)
    this.#buckets.set(key, bucket)
  }
}
