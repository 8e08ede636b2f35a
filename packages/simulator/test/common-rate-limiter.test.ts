import { describe, expect, it } from 'vitest'
import { RateLimiter } from '../src/common/index.js'

describe('RateLimiter (fixed window from the first request)', () => {
  const limit = { limit: 3, windowMs: 10_000 }

  it('admits `limit` requests per window, then says exactly when the window ends', () => {
    let now = 1_000
    const limiter = new RateLimiter({ now: () => now })
    expect(limiter.take('k', limit)).toEqual({ ok: true, remaining: 2, resetAtMs: 11_000 })
    now = 2_000
    expect(limiter.take('k', limit)).toEqual({ ok: true, remaining: 1, resetAtMs: 11_000 })
    expect(limiter.take('k', limit)).toEqual({ ok: true, remaining: 0, resetAtMs: 11_000 })
    now = 4_500
    expect(limiter.take('k', limit)).toEqual({ ok: false, retryAfterMs: 6_500, resetAtMs: 11_000 })
    now = 10_999
    expect(limiter.take('k', limit)).toEqual({ ok: false, retryAfterMs: 1, resetAtMs: 11_000 })
    now = 11_000
    expect(limiter.take('k', limit)).toEqual({ ok: true, remaining: 2, resetAtMs: 21_000 })
  })

  it('counts keys separately and forgets them on reset', () => {
    const limiter = new RateLimiter({ now: () => 0 })
    const one = { limit: 1, windowMs: 1_000 }
    expect(limiter.take('a', one).ok).toBe(true)
    expect(limiter.take('a', one).ok).toBe(false)
    expect(limiter.take('b', one).ok).toBe(true)
    limiter.reset('a')
    expect(limiter.take('a', one).ok).toBe(true)
    expect(limiter.take('b', one).ok).toBe(false)
    limiter.reset()
    expect(limiter.take('b', one).ok).toBe(true)
  })
})
