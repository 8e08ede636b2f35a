const HOUR_MS = 3_600_000
const MINUTE_MS = 60_000
/** GitHub's documented budget for unauthenticated callers, per IP. */
export const UNAUTHENTICATED_LIMIT = 60

/** The `x-ratelimit-*` headers GitHub puts on every REST answer. */
export interface PrimaryRateLimitState {
  limit: number
  remaining: number
  used: number
  /** Epoch seconds. */
  reset: number
  resource: 'core'
  exceeded: boolean
}

export function rateLimitHeaders(state: PrimaryRateLimitState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(state.remaining),
    'x-ratelimit-used': String(state.used),
    'x-ratelimit-reset': String(state.reset),
    'x-ratelimit-resource': state.resource,
  }
}

interface HourWindow {
  startedAtMs: number
  used: number
}

/**
 * The primary limit: a budget per hour per principal (a user's PATs share one, each installation
 * and the App have their own), in a fixed window that opens at the principal's first request.
 * The window is kept here rather than in the common `RateLimiter` because GitHub reports `used`
 * and `GET /rate_limit` reads the state without counting.
 */
export class PrimaryRateLimit {
  readonly #windows = new Map<string, HourWindow>()

  constructor(readonly now: () => number) {}

  /** Counts one request against `key`'s budget. */
  take(key: string, limit: number): PrimaryRateLimitState {
    const window = this.#window(key)
    const exceeded = window.used >= limit
    if (!exceeded) window.used += 1
    return this.#state(window, limit, exceeded)
  }

  /** The state without counting. */
  peek(key: string, limit: number): PrimaryRateLimitState {
    return this.#state(this.#window(key), limit, false)
  }

  reset(): void {
    this.#windows.clear()
  }

  #window(key: string): HourWindow {
    const now = this.now()
    let window = this.#windows.get(key)
    if (window === undefined || now >= window.startedAtMs + HOUR_MS) {
      window = { startedAtMs: now, used: 0 }
      this.#windows.set(key, window)
    }
    return window
  }

  #state(window: HourWindow, limit: number, exceeded: boolean): PrimaryRateLimitState {
    const used = Math.min(window.used, limit)
    return {
      limit,
      remaining: limit - used,
      used,
      reset: Math.ceil((window.startedAtMs + HOUR_MS) / 1000),
      resource: 'core',
      exceeded,
    }
  }
}

interface PointsWindow {
  startedAtMs: number
  points: number
}

/**
 * The part of the secondary limit a client can meet deterministically: points per minute per
 * endpoint and principal (GET 1, writes 5, as GitHub documents for most endpoints). The other
 * secondary triggers (concurrency, CPU time, undisclosed reasons) are what the `rateLimit` fault
 * stands for.
 */
export class SecondaryRateLimit {
  readonly #windows = new Map<string, PointsWindow>()

  constructor(readonly now: () => number) {}

  /** Counts a request; returns the seconds to wait when it is refused. */
  take(
    key: string,
    method: string,
    pointsPerMinute: number,
  ): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now()
    const cost = method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 1 : 5
    let window = this.#windows.get(key)
    if (window === undefined || now >= window.startedAtMs + MINUTE_MS) {
      window = { startedAtMs: now, points: 0 }
      this.#windows.set(key, window)
    }
    if (window.points + cost > pointsPerMinute) {
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((window.startedAtMs + MINUTE_MS - now) / 1000)),
      }
    }
    window.points += cost
    return { ok: true }
  }

  reset(): void {
    this.#windows.clear()
  }
}
