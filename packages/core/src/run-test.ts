import { systemClock } from './clock.js'
import {
  waitForOutcome,
  type CheckingTester,
  type WaitOptions,
  type WaitProgress,
} from './wait-for-outcome.js'
import type { SendOptions, TestOutcome, TestTicket } from './types.js'

export interface RunTestOptions<
  TSendOptions extends SendOptions = SendOptions,
> extends WaitOptions {
  /** Passed to `send()`, with the run's signal. */
  readonly send?: Omit<TSendOptions, 'signal'> | undefined
  /** Called once the vendor has accepted the request. */
  readonly onSent?: ((ticket: TestTicket) => void) | undefined
}

/** What running a test needs of a tester: sending, then checking, each with its own types. */
export type SendingTester<
  TSendOptions extends SendOptions,
  TTicket extends TestTicket,
  TOutcome extends TestOutcome,
> = CheckingTester<TTicket, TOutcome> & { send(options?: TSendOptions): Promise<TTicket> }

/**
 * Sends a test notification, then waits until the vendor can say what became of it. `timeoutMs`
 * bounds both together: the send gets it whole, the wait what is left of it.
 */
export async function runTest<
  TSendOptions extends SendOptions,
  TTicket extends TestTicket,
  TOutcome extends TestOutcome,
>(
  tester: SendingTester<TSendOptions, TTicket, TOutcome>,
  options: RunTestOptions<TSendOptions> = {},
): Promise<TOutcome> {
  const clock = options.clock ?? systemClock
  const started = clock.now()
  const { timeoutMs } = options
  const own = (options.send as { timeoutMs?: unknown } | undefined)?.timeoutMs
  const sendTimeoutMs =
    timeoutMs === undefined
      ? undefined
      : typeof own === 'number'
        ? Math.min(own, timeoutMs)
        : timeoutMs
  const ticket = await tester.send({
    ...options.send,
    ...(sendTimeoutMs === undefined ? {} : { timeoutMs: sendTimeoutMs }),
    signal: options.signal,
  } as TSendOptions)
  options.onSent?.(ticket)
  // The wait gets what the send left; at least a millisecond, so its own timeout names the ticket.
  const left =
    timeoutMs === undefined ? undefined : Math.max(1, timeoutMs - (clock.now() - started))
  return waitForOutcome(tester, ticket, { ...options, timeoutMs: left })
}

export type { WaitProgress }
