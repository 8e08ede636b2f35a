import type { Clock } from './clock.js'
import { systemClock } from './clock.js'

/**
 * A token bucket: `burst` calls may go at once, then the bucket refills at `perSecond`. Over any
 * window of `w` seconds it lets through at most `burst + perSecond × w` calls.
 */
export interface RateLimit {
  /** Refill rate, calls per second (Apple sandbox status, strict: 0.1). */
  readonly perSecond: number
  /** Calls that may go at once before spacing applies; 1 (the default) spaces every call. */
  readonly burst?: number
}

const HOUR_MS = 3_600_000

/** The share of an hourly budget that may go at once; the rest refills evenly over the hour. */
export const HOURLY_BURST_SHARE = 0.1

/**
 * A vendor's budget per hour as a bucket that never exceeds it over ANY hour, not only over
 * fixed ones: `burst + perSecond × 3600 = perHour`. A bucket, rather than a log of the last hour's
 * calls, so that a client that has spent its burst slows down to the refill rate instead of
 * stopping for up to an hour, and its memory is the same whatever the budget. `perHour` ≥ 2.
 */
export function hourlyBudget(perHour: number, burstShare = HOURLY_BURST_SHARE): RateLimit {
  // At least one call must be left to refill, so budgets start at 2 (Apple's smallest is 360).
  const burst = Math.max(1, Math.min(perHour - 1, Math.floor(perHour * burstShare)))
  return { perSecond: ((perHour - burst) * 1000) / HOUR_MS, burst }
}

interface Bucket {
  burst: number
  /** Tokens left just after the last reserved call. */
  tokens: number
  /** When the last reserved call goes (epoch ms); later calls are reserved after it. */
  at: number
  /** No call before this (epoch ms): the vendor's last 429 said so. */
  blockedUntil: number
}

/**
 * Keeps calls to each key within its limit (a token bucket), and holds every call back after a
 * 429 until the vendor's `Retry-After`. Slots are reserved in call order, so concurrent callers
 * queue instead of racing. One limiter may serve several clients: share it to share a budget.
 */
export class RateLimiter {
  /** The clock slots are counted on; clients sharing this limiter must use the same one. */
  readonly clock: Clock
  readonly #buckets = new Map<string, Bucket>()

  constructor(clock: Clock = systemClock) {
    this.clock = clock
  }

  /**
   * Milliseconds the next call on `key` must wait, and its slot reserved. With `maxWaitMs`, a slot
   * further away than that is not reserved (the call will not be made) and only the wait returned.
   */
  reserve(key: string, limit: RateLimit, maxWaitMs = Infinity): number {
    const now = this.clock.now()
    const burst = Math.max(1, limit.burst ?? 1)
    const msPerToken = 1000 / limit.perSecond
    const bucket = this.#buckets.get(key) ?? { burst, tokens: burst, at: now, blockedUntil: 0 }
    const tokensAt = (time: number): number =>
      Math.min(burst, bucket.tokens + (time - bucket.at) / msPerToken)
    // Never before a 429 block ends, nor before a call reserved earlier.
    let sendAt = Math.max(now, bucket.blockedUntil, bucket.at)
    const short = 1 - tokensAt(sendAt)
    // Less a nanosecond of floating-point dust, so 0.7 of a 10 s token is 7000 ms, not 7001.
    if (short > 0) sendAt += Math.ceil(short * msPerToken - 1e-6)
    const wait = sendAt - now
    if (wait > maxWaitMs) return wait
    bucket.tokens = tokensAt(sendAt) - 1
    bucket.at = sendAt
    bucket.burst = burst
    this.#buckets.set(key, bucket)
    return wait
  }

  /** Waits for the next slot on `key`; rejects if `signal` aborts first. */
  async acquire(key: string, limit: RateLimit, signal?: AbortSignal): Promise<void> {
    const wait = this.reserve(key, limit)
    if (wait > 0) await this.clock.sleep(wait, signal)
  }

  /** Until when (epoch milliseconds) the vendor's last 429 holds `key` back; 0 when it does not. */
  blockedUntil(key: string): number {
    const until = this.#buckets.get(key)?.blockedUntil ?? 0
    return until > this.clock.now() ? until : 0
  }

  /**
   * After a 429: no call on `key` before `until` (epoch milliseconds). The refused call's slot is
   * given back (never beyond a full bucket), so its retry goes as soon as the vendor allows rather
   * than a whole interval later.
   */
  block(key: string, until: number): void {
    const bucket = this.#buckets.get(key) ?? {
      burst: 1,
      tokens: 0,
      at: this.clock.now(),
      blockedUntil: 0,
    }
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + 1)
    bucket.blockedUntil = Math.max(bucket.blockedUntil, until)
    this.#buckets.set(key, bucket)
  }
}
