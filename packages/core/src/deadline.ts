import type { Clock } from './clock.js'
import type { CallOptions } from './types.js'

/** Why a deadline's signal aborted: told apart so the error can say `timeout` or `aborted`. */
export class DeadlineExceeded extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Deadline of ${timeoutMs} ms exceeded`)
    this.name = 'DeadlineExceeded'
  }
}

/**
 * One public call's deadline: the caller's signal and timeout joined into one signal, fixed once
 * when the call starts. Everything the call does (token fetch, rate-limit waits, attempts,
 * backoff) runs against this same absolute time; nothing below it builds another.
 */
export interface Deadline {
  readonly signal: AbortSignal
  /** Epoch milliseconds, or Infinity. */
  readonly expiresAt: number
  /** The limit it was made from, for messages; undefined when the call has none. */
  readonly timeoutMs: number | undefined
  remainingMs(): number
  /** True when the deadline, not the caller, ended the call. */
  timedOut(): boolean
  dispose(): void
}

export function createDeadline(
  options: CallOptions,
  clock: Clock,
  defaultTimeoutMs?: number,
): Deadline {
  return new CallDeadline(options.signal, options.timeoutMs ?? defaultTimeoutMs, clock)
}

/**
 * A class, not an object of closures: a deadline is made for every call, so its methods are shared
 * and it listens to the caller's signal itself (`handleEvent`).
 */
class CallDeadline implements Deadline {
  readonly signal: AbortSignal
  readonly expiresAt: number
  readonly timeoutMs: number | undefined
  readonly #controller = new AbortController()
  readonly #clock: Clock
  readonly #outer: AbortSignal | undefined
  readonly #cancelTimer: (() => void) | undefined

  constructor(outer: AbortSignal | undefined, timeoutMs: number | undefined, clock: Clock) {
    this.signal = this.#controller.signal
    this.timeoutMs = timeoutMs
    this.#clock = clock
    this.#outer = outer
    if (outer?.aborted) this.handleEvent()
    else outer?.addEventListener('abort', this, { once: true })
    this.expiresAt = timeoutMs === undefined ? Infinity : clock.now() + timeoutMs
    this.#cancelTimer =
      timeoutMs === undefined
        ? undefined
        : clock.setTimer(() => this.#controller.abort(new DeadlineExceeded(timeoutMs)), timeoutMs)
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.#controller.abort(this.#outer?.reason)
  }

  remainingMs(): number {
    return Math.max(0, this.expiresAt - this.#clock.now())
  }

  timedOut(): boolean {
    return this.signal.reason instanceof DeadlineExceeded
  }

  dispose(): void {
    this.#cancelTimer?.()
    this.#outer?.removeEventListener('abort', this)
  }
}

/** Runs `call` against one deadline made from `options`, disposed however the call ends. */
export async function withDeadline<T>(
  options: CallOptions,
  clock: Clock,
  defaultTimeoutMs: number | undefined,
  call: (deadline: Deadline) => Promise<T>,
): Promise<T> {
  const deadline = createDeadline(options, clock, defaultTimeoutMs)
  try {
    return await call(deadline)
  } finally {
    deadline.dispose()
  }
}
