import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Clock } from '@notiprobe/core'

/**
 * A Clock whose time moves only when something sleeps: sleeps return at once (after one turn of
 * the event loop, so real I/O still progresses) and timers fire when virtual time passes them.
 * Every requested sleep is recorded, so a test can assert the exact waits.
 */
export class VirtualClock implements Clock {
  readonly sleeps: number[] = []
  #now: number
  #timers: { at: number; callback: () => void }[] = []

  constructor(start = Date.parse('2030-01-01T00:00:00Z')) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted()
    this.sleeps.push(ms)
    this.advance(ms)
    await nextTurn()
    // Advancing may have fired a deadline timer that aborted the signal.
    signal?.throwIfAborted()
  }

  setTimer(callback: () => void, ms: number): () => void {
    const timer = { at: this.#now + Math.max(0, ms), callback }
    this.#timers.push(timer)
    return () => {
      this.#timers = this.#timers.filter((candidate) => candidate !== timer)
    }
  }

  /** Moves time forward, firing the timers that fall due, in order. */
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
