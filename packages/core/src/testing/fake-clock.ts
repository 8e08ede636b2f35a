import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Clock } from '../clock.js'

export interface FakeClockOptions {
  /** Epoch milliseconds the clock starts at. */
  readonly start?: number
  /**
   * `virtual` (default): timers fire when virtual time passes them, so a deadline ends a call only
   * when something sleeps past it. `real`: timers run on the real clock, for tests where a server
   * is slower than a deadline.
   */
  readonly timers?: 'virtual' | 'real'
}

/**
 * A Clock whose time moves only when something sleeps (or `advance` is called): sleeps return at
 * once, after one turn of the event loop so real I/O still progresses. Every requested sleep is
 * recorded, so a test asserts the exact waits.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = []
  readonly #realTimers: boolean
  #now: number
  #timers: { at: number; callback: () => void }[] = []

  constructor(options: FakeClockOptions = {}) {
    this.#now = options.start ?? Date.parse('2030-01-01T00:00:00Z')
    this.#realTimers = options.timers === 'real'
  }

  /** Bound, so it can be handed on alone (`now: clock.now`, as simulators take it). */
  readonly now = (): number => this.#now

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted()
    this.sleeps.push(ms)
    this.advance(ms)
    await nextTurn()
    // Advancing may have fired a deadline timer that aborted the signal.
    signal?.throwIfAborted()
  }

  setTimer(callback: () => void, ms: number): () => void {
    if (this.#realTimers) {
      const timer = setTimeout(callback, Math.max(0, ms))
      return () => clearTimeout(timer)
    }
    const timer = { at: this.#now + Math.max(0, ms), callback }
    this.#timers.push(timer)
    return () => {
      this.#timers = this.#timers.filter((candidate) => candidate !== timer)
    }
  }

  /** Moves time forward, firing the virtual timers that fall due, in order. */
  advance(ms: number): void {
    const until = this.#now + Math.max(0, ms)
    for (;;) {
      const due = this.#timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0]
      if (due === undefined) break
      this.#timers = this.#timers.filter((timer) => timer !== due)
      this.#now = Math.max(this.#now, due.at)
      due.callback()
    }
    this.#now = until
  }
}
