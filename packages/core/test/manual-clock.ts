import type { Clock } from '../src/clock.js'

/** A clock whose time moves only when told to, or when something sleeps on it. */
export interface ManualClock extends Clock {
  advance(ms: number): void
  readonly sleeps: number[]
}

export function manualClock(start = Date.parse('2026-11-22T12:00:00Z')): ManualClock {
  let now = start
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    advance: (ms) => {
      now += ms
    },
    sleep: (ms, signal) => {
      if (signal?.aborted) return Promise.reject(signal.reason as Error)
      sleeps.push(ms)
      now += ms
      return Promise.resolve()
    },
    setTimer: (callback, ms) => {
      const timer = setTimeout(callback, ms)
      return () => clearTimeout(timer)
    },
  }
}
