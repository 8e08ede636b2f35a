import type { Clock } from './clock.js'
import { systemClock } from './clock.js'
import { createDeadline } from './deadline.js'
import { NotificationTestError, isNotificationTestError } from './error.js'
import type { CallOptions, NotificationTester, TestOutcome, TestTicket } from './types.js'
import { isFinalState } from './types.js'

/** Reported after each check while waiting. */
export interface WaitProgress {
  readonly vendor: string
  readonly ticket: TestTicket
  readonly outcome: TestOutcome
  /** Checks made so far, this one included. */
  readonly checks: number
  readonly elapsedMs: number
  /** When the next check happens, if the outcome is still pending. */
  readonly nextCheckInMs: number | undefined
}

export interface WaitOptions extends CallOptions {
  /** Called after every check. */
  readonly onProgress?: ((progress: WaitProgress) => void) | undefined
  /** Time between checks; at least the tester's `pollIntervalMs` (the vendor's rate limit). */
  readonly intervalMs?: number | undefined
  readonly clock?: Clock | undefined
}

/** What waiting needs of a tester; typed by its own outcome, so adapters' extra fields stay. */
export type CheckingTester<TTicket extends TestTicket, TOutcome extends TestOutcome> = Pick<
  NotificationTester,
  'vendor' | 'pollIntervalMs'
> & {
  check(ticket: TTicket, options?: CallOptions): Promise<TOutcome>
}

/** The longest timer Node.js can set (about 24.8 days): the most a check's timeoutMs may be. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** Default time to wait for a test notification: Apple delivers within seconds to a minute. */
export const DEFAULT_WAIT_TIMEOUT_MS = 120_000

/**
 * Checks `ticket` until the vendor reports something other than `pending`, spacing checks by the
 * tester's rate limit. Throws a `timeout` error if it is still pending at the deadline and an
 * `aborted` one if the signal fires; neither leaves a timer behind.
 */
export async function waitForOutcome<TTicket extends TestTicket, TOutcome extends TestOutcome>(
  tester: CheckingTester<TTicket, TOutcome>,
  ticket: TTicket,
  options: WaitOptions = {},
): Promise<TOutcome> {
  const clock = options.clock ?? systemClock
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS
  const interval = Math.max(options.intervalMs ?? 0, tester.pollIntervalMs ?? 1000)
  const deadline = createDeadline({ signal: options.signal, timeoutMs }, clock)
  const started = clock.now()
  const operation = `${tester.vendor}.waitForOutcome`
  let last: TOutcome | undefined
  try {
    for (let checks = 1; ; checks++) {
      try {
        last = await tester.check(ticket, {
          signal: deadline.signal,
          // Whole milliseconds up to the longest timer, as testers accept: a clock may give
          // fractions, and a virtual one a wait longer than a timer can run. The signal ends it.
          timeoutMs: Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(deadline.remainingMs()))),
        })
      } catch (error) {
        throw interruption(error) ?? error
      }
      const final = isFinalState(last.state)
      const fits = clock.now() + interval < deadline.expiresAt
      options.onProgress?.({
        vendor: tester.vendor,
        ticket,
        outcome: last,
        checks,
        elapsedMs: clock.now() - started,
        nextCheckInMs: final || !fits ? undefined : interval,
      })
      if (final) return last
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

  // The deadline or the caller ended a check or a pause: say which, in this call's terms.
  function interruption(error: unknown): NotificationTestError | undefined {
    if (!deadline.signal.aborted) return undefined
    if (deadline.timedOut()) return stillPending()
    if (isNotificationTestError(error) && error.kind === 'aborted') return error
    return new NotificationTestError({
      vendor: tester.vendor,
      operation,
      kind: 'aborted',
      message: `Waiting for the ${tester.vendor} test notification ${ticket.id} was aborted.`,
    })
  }

  function stillPending(): NotificationTestError {
    const seconds = Math.round(timeoutMs / 1000)
    const state = last === undefined ? 'no answer yet' : `last state: ${last.state}`
    return new NotificationTestError({
      vendor: tester.vendor,
      operation,
      kind: 'timeout',
      message: `The ${tester.vendor} test notification ${ticket.id} was not confirmed within ${seconds} s (${state}). The vendor may still deliver it: check it again later, or wait longer.`,
      retryable: true,
    })
  }
}
