import { waitForOutcome, type WaitOptions, type WaitProgress } from './wait-for-outcome.js'
import type { NotificationTester, SendOptions, TestOutcome, TestTicket } from './types.js'

export interface RunTestOptions<
  TSendOptions extends SendOptions = SendOptions,
> extends WaitOptions {
  /** Passed to `send()`, with the run's signal. */
  readonly send?: Omit<TSendOptions, 'signal'> | undefined
  /** Called once the vendor has accepted the request. */
  readonly onSent?: ((ticket: TestTicket) => void) | undefined
}

/** Sends a test notification, then waits until the vendor can say what became of it. */
export async function runTest<
  TSendOptions extends SendOptions,
  TTicket extends TestTicket,
  TNotification,
>(
  tester: NotificationTester<TSendOptions, TTicket, TNotification>,
  options: RunTestOptions<TSendOptions> = {},
): Promise<TestOutcome<TNotification>> {
  const ticket = await tester.send({ ...options.send, signal: options.signal } as TSendOptions)
  options.onSent?.(ticket)
  return waitForOutcome(tester, ticket, options)
}

export type { WaitProgress }
