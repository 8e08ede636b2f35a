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
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs
  const controller = new AbortController()
  const outer = options.signal
  const onOuterAbort = (): void => controller.abort(outer?.reason)
  if (outer?.aborted) onOuterAbort()
  else outer?.addEventListener('abort', onOuterAbort, { once: true })
  const start = clock.now()
  const expiresAt = timeoutMs === undefined ? Infinity : start + timeoutMs
  const cancelTimer =
    timeoutMs === undefined
      ? () => undefined
      : clock.setTimer(() => controller.abort(new DeadlineExceeded(timeoutMs)), timeoutMs)
  return {
    signal: controller.signal,
    expiresAt,
    timeoutMs,
    remainingMs: () => Math.max(0, expiresAt - clock.now()),
    timedOut: () => controller.signal.reason instanceof DeadlineExceeded,
    dispose: () => {
      cancelTimer()
      outer?.removeEventListener('abort', onOuterAbort)
    },
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
