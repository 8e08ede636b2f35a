import type { Clock } from './clock.js'
import { createDeadline } from './deadline.js'
import { NotificationTestError, isNotificationTestError } from './error.js'
import type { Operation } from './operations.js'
import { timeoutFor } from './timers.js'
import type { CallOptions } from './types.js'

/** One check made while polling, as `onCheck` reports it. */
export interface PollCheck<T> {
  readonly value: T
  /** Checks made so far, this one included. */
  readonly checks: number
  readonly elapsedMs: number
  /** When the next check happens, if there is one. */
  readonly nextCheckInMs: number | undefined
}

export interface PollOptions<T> {
  readonly vendor: string
  /** The wait's own operation: `apple.waitForPerformanceTest`. */
  readonly operation: Operation
  /** One check, given the time left; its own errors pass through unless the wait ended it. */
  readonly check: (
    call: Required<Pick<CallOptions, 'timeoutMs'>> & { signal: AbortSignal },
  ) => Promise<T>
  readonly isDone: (value: T) => boolean
  /** Time between checks. */
  readonly intervalMs: number
  /** The whole wait. */
  readonly timeoutMs: number
  readonly signal?: AbortSignal | undefined
  readonly clock: Clock
  readonly onCheck?: ((check: PollCheck<T>) => void) | undefined
  /** The `timeout` error's message, given the last value (undefined: no answer yet). */
  readonly stillPendingMessage: (last: T | undefined) => string
  /** The `aborted` error's message. */
  readonly abortedMessage: string
}

/**
 * Checks until `isDone`, spacing checks by `intervalMs`, all within one deadline. Throws `timeout`
 * if it is still not done at the deadline (or the next check would fall after it) and `aborted` if
 * the signal fires; neither leaves a timer behind. Each check gets the time left, in whole
 * milliseconds up to the longest timer: a clock may give fractions, a virtual one a wait longer
 * than a timer can run, and the signal ends the check anyway.
 */
export async function poll<T>(options: PollOptions<T>): Promise<T> {
  const { clock, intervalMs: interval } = options
  const deadline = createDeadline({ signal: options.signal, timeoutMs: options.timeoutMs }, clock)
  const started = clock.now()
  let last: T | undefined

  const stillPending = (): NotificationTestError =>
    new NotificationTestError({
      vendor: options.vendor,
      operation: options.operation.name,
      kind: 'timeout',
      message: options.stillPendingMessage(last),
      retryable: true,
    })
  // The deadline or the caller ended a check or a pause: say which, in this wait's terms.
  const interruption = (error: unknown): NotificationTestError | undefined => {
    if (!deadline.aborted) return undefined
    if (deadline.timedOut()) return stillPending()
    if (isNotificationTestError(error) && error.kind === 'aborted') return error
    return new NotificationTestError({
      vendor: options.vendor,
      operation: options.operation.name,
      kind: 'aborted',
      message: options.abortedMessage,
    })
  }

  try {
    for (let checks = 1; ; checks++) {
      let value: T
      try {
        value = await options.check({
          signal: deadline.signal,
          timeoutMs: timeoutFor(deadline.remainingMs()),
        })
      } catch (error) {
        throw interruption(error) ?? error
      }
      last = value
      const done = options.isDone(value)
      const fits = clock.now() + interval < deadline.expiresAt
      options.onCheck?.({
        value,
        checks,
        elapsedMs: clock.now() - started,
        nextCheckInMs: done || !fits ? undefined : interval,
      })
      if (done) return value
      if (!fits) throw stillPending()
      try {
        await clock.sleep(interval, deadline.signal)
      } catch {
        throw interruption(undefined) ?? stillPending()
      }
    }
  } finally {
    deadline.dispose()
  }
}
