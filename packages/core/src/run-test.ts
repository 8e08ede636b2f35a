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

/** Sends a test notification, then waits until the vendor can say what became of it. */
export async function runTest<
  TSendOptions extends SendOptions,
  TTicket extends TestTicket,
  TOutcome extends TestOutcome,
>(
  tester: SendingTester<TSendOptions, TTicket, TOutcome>,
  options: RunTestOptions<TSendOptions> = {},
): Promise<TOutcome> {
  const ticket = await tester.send({ ...options.send, signal: options.signal } as TSendOptions)
  options.onSent?.(ticket)
  return waitForOutcome(tester, ticket, options)
}

export type { WaitProgress }
