export interface RateLimit {
  /** Requests allowed per window. */
  limit: number
  windowMs: number
}

export type RateLimitDecision =
  | { ok: true; remaining: number; resetAtMs: number }
  | { ok: false; retryAfterMs: number; resetAtMs: number }

interface Window {
  startedAtMs: number
  used: number
  windowMs: number
}

/**
 * Fixed-window limiter per key: a window opens at a key's first request and admits `limit`
 * requests until `windowMs` later. Vendors document their limits as "N per period" without saying
 * more; a fixed window is the strictest reading a client can meet, and it makes `retryAfterMs`
 * exact (the time until the window ends), which is what tests assert.
 */
export class RateLimiter {
  readonly #now: () => number
  readonly #windows = new Map<string, Window>()
  #takes = 0

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now
  }

  /** Counts one request against `key`; `ok: false` means it must be refused. */
  take(key: string, { limit, windowMs }: RateLimit): RateLimitDecision {
    const now = this.#now()
    if (++this.#takes % 1024 === 0) this.#prune(now)
    let window = this.#windows.get(key)
    if (window === undefined || now >= window.startedAtMs + window.windowMs) {
      window = { startedAtMs: now, used: 0, windowMs }
      this.#windows.set(key, window)
    }
    const resetAtMs = window.startedAtMs + window.windowMs
    if (window.used >= limit) return { ok: false, retryAfterMs: resetAtMs - now, resetAtMs }
    window.used += 1
    return { ok: true, remaining: limit - window.used, resetAtMs }
  }

  /** Forgets every key (e.g. when tokens are revoked). */
  reset(key?: string): void {
    if (key === undefined) this.#windows.clear()
    else this.#windows.delete(key)
  }

  // Expired windows are dropped now and then so a long benchmark does not grow the map forever.
  #prune(now: number): void {
    for (const [key, window] of this.#windows) {
      if (now >= window.startedAtMs + window.windowMs) this.#windows.delete(key)
    }
  }
}
