import type { Clock } from '@notiprobe/core'

/** A clock that moves only when told to. Timers fire as `advance` passes them. */
export class ManualClock implements Clock {
  #now: number
  #timers: { at: number; callback: () => void; cancelled: boolean }[] = []

  constructor(start = Date.UTC(2026, 4, 1, 12, 0, 0)) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(resolve, ms))
  }

  setTimer(callback: () => void, ms: number): () => void {
    const timer = { at: this.#now + Math.max(0, ms), callback, cancelled: false }
    this.#timers.push(timer)
    return () => {
      timer.cancelled = true
    }
  }

  advance(ms: number): void {
    this.#now += ms
    const due = this.#timers.filter((timer) => timer.at <= this.#now && !timer.cancelled)
    this.#timers = this.#timers.filter((timer) => !due.includes(timer))
    for (const timer of due) timer.callback()
  }
}
