import { describe, expect, it } from 'vitest'
import { RateLimiter } from '../src/rate-limiter.js'
import { FakeClock } from '../src/testing/fake-clock.js'

describe('RateLimiter', () => {
  it('spaces calls by the limit: 1/s gives 0, 1000, 2000 ms', () => {
    const clock = new FakeClock({ timers: 'real' })
    const limiter = new RateLimiter(clock)
    const limit = { perSecond: 1 }
    expect([0, 1, 2].map(() => limiter.reserve('status', limit))).toEqual([0, 1000, 2000])
  })

  it('gives sandbox rates (0.1/s) ten seconds between calls', () => {
    const clock = new FakeClock({ timers: 'real' })
    const limiter = new RateLimiter(clock)
    expect(limiter.reserve('status', { perSecond: 0.1 })).toBe(0)
    clock.advance(3000)
    expect(limiter.reserve('status', { perSecond: 0.1 })).toBe(7000)
  })

  it('lets a burst through, then spaces', () => {
    const clock = new FakeClock({ timers: 'real' })
    const limiter = new RateLimiter(clock)
    const limit = { perSecond: 10, burst: 3 }
    expect([0, 1, 2, 3, 4].map(() => limiter.reserve('k', limit))).toEqual([0, 0, 0, 100, 200])
    clock.advance(1000)
    expect(limiter.reserve('k', limit)).toBe(0)
  })

  it('keeps endpoints apart', () => {
    const limiter = new RateLimiter(new FakeClock({ timers: 'real' }))
    expect(limiter.reserve('a', { perSecond: 1 })).toBe(0)
    expect(limiter.reserve('b', { perSecond: 1 })).toBe(0)
  })

  it('holds every call back after a 429 until Retry-After, then spaces again', () => {
    const clock = new FakeClock({ timers: 'real' })
    const limiter = new RateLimiter(clock)
    const limit = { perSecond: 50 }
    limiter.block('history', clock.now() + 5000)
    expect(limiter.reserve('history', limit)).toBe(5000)
    expect(limiter.reserve('history', limit)).toBe(5020)
    clock.advance(6000)
    expect(limiter.reserve('history', limit)).toBe(0)
  })

  it('acquire waits for the slot through the clock', async () => {
    const clock = new FakeClock({ timers: 'real' })
    const limiter = new RateLimiter(clock)
    await limiter.acquire('k', { perSecond: 2 })
    await limiter.acquire('k', { perSecond: 2 })
    expect(clock.sleeps).toEqual([500])
  })

  it('gives a refused call its slot back: the retry goes when the vendor allows', () => {
    const clock = new FakeClock({ timers: 'real' })
    const limiter = new RateLimiter(clock)
    const limit = { perSecond: 0.1 }
    expect(limiter.reserve('status', limit)).toBe(0)
    clock.advance(10_300)
    expect(limiter.reserve('status', limit)).toBe(0)
    // The vendor still counted the first call in its window: 429, retry after 50 ms.
    limiter.block('status', clock.now() + 50)
    expect(limiter.reserve('status', limit)).toBe(50)
  })
})
