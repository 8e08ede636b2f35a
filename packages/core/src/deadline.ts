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
 * What the transport and the body reader listen to: an AbortSignal has this shape, and so does a
 * Deadline. axios takes it as its `GenericAbortSignal`.
 */
export interface AbortSource {
  readonly aborted: boolean
  /** Why it aborted; undefined until it has. */
  readonly reason: unknown
  addEventListener(type: 'abort', listener: () => void): void
  removeEventListener(type: 'abort', listener: () => void): void
}

/**
 * One public call's deadline: the caller's signal and timeout joined, fixed once when the call
 * starts. Everything the call does (token fetch, rate-limit waits, attempts, backoff) runs against
 * this same absolute time; nothing below it builds another.
 */
export interface Deadline extends AbortSource {
  /**
   * The same deadline as an AbortSignal, for what needs a real one (a sleep, a fetch). Made when
   * first asked for: most calls never wait, and a signal costs more than the rest of the deadline.
   */
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
 * and it listens to the caller's signal itself (`handleEvent`). It keeps its own listeners and
 * makes an AbortController only when `signal` is read.
 */
class CallDeadline implements Deadline {
  readonly expiresAt: number
  readonly timeoutMs: number | undefined
  readonly #clock: Clock
  readonly #outer: AbortSignal | undefined
  readonly #cancelTimer: (() => void) | undefined
  #aborted = false
  #reason: unknown
  #listeners: (() => void)[] = []
  #controller: AbortController | undefined

  constructor(outer: AbortSignal | undefined, timeoutMs: number | undefined, clock: Clock) {
    this.timeoutMs = timeoutMs
    this.#clock = clock
    this.#outer = outer
    if (outer?.aborted) this.handleEvent()
    else outer?.addEventListener('abort', this, { once: true })
    this.expiresAt = timeoutMs === undefined ? Infinity : clock.now() + timeoutMs
    this.#cancelTimer =
      timeoutMs === undefined
        ? undefined
        : clock.setTimer(() => {
            this.#abort(new DeadlineExceeded(timeoutMs))
          }, timeoutMs)
  }

  get aborted(): boolean {
    return this.#aborted
  }

  get reason(): unknown {
    return this.#reason
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController()
      if (this.#aborted) this.#controller.abort(this.#reason)
    }
    return this.#controller.signal
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.#aborted) this.#listeners.push(listener)
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.#listeners.indexOf(listener)
    if (at !== -1) this.#listeners.splice(at, 1)
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.#abort(this.#outer?.reason)
  }

  remainingMs(): number {
    return Math.max(0, this.expiresAt - this.#clock.now())
  }

  timedOut(): boolean {
    return this.#reason instanceof DeadlineExceeded
  }

  dispose(): void {
    this.#cancelTimer?.()
    this.#outer?.removeEventListener('abort', this)
  }

  #abort(reason: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason
    this.#controller?.abort(reason)
    const listeners = this.#listeners
    this.#listeners = []
    for (const listener of listeners) listener()
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
