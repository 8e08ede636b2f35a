import type { Clock } from './clock.js'
import { systemClock } from './clock.js'
import { poll } from './poll.js'
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
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS
  const { vendor } = tester
  return poll<TOutcome>({
    vendor,
    operation: {
      name: `${vendor}.waitForOutcome`,
      label: `Waiting for the ${vendor} test notification`,
    },
    check: (call) => tester.check(ticket, call),
    isDone: (outcome) => isFinalState(outcome.state),
    intervalMs: Math.max(options.intervalMs ?? 0, tester.pollIntervalMs ?? 1000),
    timeoutMs,
    signal: options.signal,
    clock: options.clock ?? systemClock,
    onCheck: (check) =>
      options.onProgress?.({
        vendor,
        ticket,
        outcome: check.value,
        checks: check.checks,
        elapsedMs: check.elapsedMs,
        nextCheckInMs: check.nextCheckInMs,
      }),
    stillPendingMessage: (last) =>
      `The ${vendor} test notification ${ticket.id} was not confirmed within ${Math.round(timeoutMs / 1000)} s (${last === undefined ? 'no answer yet' : `last state: ${last.state}`}). The vendor may still deliver it: check it again later, or wait longer.`,
    abortedMessage: `Waiting for the ${vendor} test notification ${ticket.id} was aborted.`,
  })
}
