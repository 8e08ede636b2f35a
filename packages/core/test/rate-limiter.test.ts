import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RateLimiter, hourlyBudget } from '../src/rate-limiter.js'
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

const HOUR_MS = 3_600_000

/** The most calls any hour holds, its both ends included (`[t, t + 1 h]`), the strictest reading. */
function busiestHour(sentAt: readonly number[]): number {
  const sorted = [...sentAt].sort((a, b) => a - b)
  let most = 0
  let first = 0
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] > HOUR_MS) first++
    most = Math.max(most, last - first + 1)
  }
  return most
}

describe('RateLimiter with a longest wait', () => {
  it('reserves no slot it would not wait for, so a call given up spends no budget', () => {
    const clock = new FakeClock({ timers: 'real' })
    const limiter = new RateLimiter(clock)
    const limit = { perSecond: 0.1 }
    expect(limiter.reserve('status', limit)).toBe(0)
    expect(limiter.reserve('status', limit, 5000)).toBe(10_000)
    expect(limiter.reserve('status', limit, 5000)).toBe(10_000)
    expect(limiter.reserve('status', limit)).toBe(10_000)
    expect(limiter.reserve('status', limit)).toBe(20_000)
  })
})

describe('hourlyBudget', () => {
  it('turns an hourly budget into a bucket: a tenth at once, the rest refilled over the hour', () => {
    expect(hourlyBudget(360)).toEqual({ perSecond: 0.09, burst: 36 })
    expect(hourlyBudget(3600)).toEqual({ perSecond: 0.9, burst: 360 })
    expect(hourlyBudget(5)).toEqual({ perSecond: 4 / 3600, burst: 1 })
  })

  it('lets the burst through at once, then spaces calls by the refill', () => {
    const clock = new FakeClock({ timers: 'real' })
    const limiter = new RateLimiter(clock)
    const limit = hourlyBudget(360)
    const waits = Array.from({ length: 38 }, () => limiter.reserve('status', limit))
    expect(waits.slice(0, 36)).toEqual(Array.from({ length: 36 }, () => 0))
    expect(waits.slice(36)).toEqual([11_112, 22_223])
  })

  it('never lets more than the budget through in any hour, whatever the calls and 429s', () => {
    const call = fc.record({
      gapMs: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ max: HOUR_MS }),
      ),
      together: fc.integer({ min: 1, max: 8 }),
      refusedAfterMs: fc.option(fc.integer({ min: 0, max: 120_000 }), { freq: 8 }),
    })
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 400 }),
        fc.array(call, { maxLength: 300 }),
        (perHour, calls) => {
          const clock = new FakeClock({ timers: 'real' })
          const limiter = new RateLimiter(clock)
          const limit = hourlyBudget(perHour)
          const sentAt: number[] = []
          for (const { gapMs, together, refusedAfterMs } of calls) {
            clock.advance(gapMs)
            // Several callers at once; each goes at its slot.
            const slots = Array.from(
              { length: together },
              () => clock.now() + limiter.reserve('k', limit),
            )
            const last = Math.max(...slots)
            sentAt.push(...slots)
            if (refusedAfterMs !== null) {
              // The last one is refused with a 429 when it goes: its slot is given back, and no
              // call may go before Retry-After.
              clock.advance(last - clock.now())
              sentAt.pop()
              const until = clock.now() + refusedAfterMs
              limiter.block('k', until)
              const next = clock.now() + limiter.reserve('k', limit)
              expect(next).toBeGreaterThanOrEqual(until)
              sentAt.push(next)
            }
          }
          expect(busiestHour(sentAt)).toBeLessThanOrEqual(perHour)
        },
      ),
      { numRuns: 300 },
    )
  })
})
