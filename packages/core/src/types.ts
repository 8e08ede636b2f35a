/** Where a test notification stands. `accepted`: the vendor took it and offers no way to know more. */
export type TestState = 'pending' | 'delivered' | 'failed' | 'accepted'

/** Options every vendor call takes. */
export interface CallOptions {
  /** Aborts the call; the error then has kind `aborted`. */
  readonly signal?: AbortSignal | undefined
  /** Deadline for the whole call, retries and rate-limit waits included; kind `timeout` when hit. */
  readonly timeoutMs?: number | undefined
}

/** Options for `send()`. Adapters extend it with their own fields (SailPoint: key, medium...). */
export type SendOptions = CallOptions

/** What `send()` returns: enough to ask the vendor about this test notification later. */
export interface TestTicket {
  readonly vendor: string
  /** The vendor's handle (Apple: the test notification token); a local id when the vendor has none. */
  readonly id: string
  /** When the vendor accepted the request, in epoch milliseconds. */
  readonly requestedAt: number
  /** Vendor-specific facts about the request (SailPoint: key, medium, apiVersion). */
  readonly details?: Readonly<Record<string, unknown>>
}

/** One attempt by the vendor to deliver the notification. */
export interface SendAttempt {
  /** Epoch milliseconds. */
  readonly attemptedAt: number
  /** The vendor's result code as sent (Apple `sendAttemptResult`), unknown future values kept. */
  readonly result: string
  readonly succeeded: boolean
}

/** What the vendor knows about a test notification now. */
export interface TestOutcome<TNotification = unknown> {
  readonly vendor: string
  readonly ticket: TestTicket
  readonly state: TestState
  /** A sentence a person can read: what happened and, when it failed, what to check. */
  readonly summary: string
  readonly attempts: readonly SendAttempt[]
  /** The verified, decoded notification where the vendor gives one (Apple). */
  readonly notification?: TNotification | undefined
  /** Warnings from the vendor worth showing (SailPoint `X-Deprecated`). */
  readonly warnings: readonly string[]
  /** The vendor's answer as received, for evidence. */
  readonly raw?: unknown
  /** Epoch milliseconds when this outcome was observed. */
  readonly checkedAt: number
}

/** One vendor's test notification: ask for one, then ask what became of it. */
export interface NotificationTester<
  TSendOptions extends SendOptions = SendOptions,
  TTicket extends TestTicket = TestTicket,
  TNotification = unknown,
> {
  /** 'apple', 'sailpoint', ... */
  readonly vendor: string
  /** Ask the vendor to send a test notification. Never retried once it may have reached the vendor. */
  send(options?: TSendOptions): Promise<TTicket>
  /** What the vendor knows now; `pending` until it can say more. */
  check(ticket: TTicket, options?: CallOptions): Promise<TestOutcome<TNotification>>
  /** Least time between two checks that keeps within the vendor's rate limit, in milliseconds. */
  readonly pollIntervalMs?: number
}

/** True for the states after which checking again tells nothing new. */
export function isFinalState(state: TestState): boolean {
  return state !== 'pending'
}

/** Whether an outcome passes: the vendor confirmed delivery (`delivered`) or took it (`accepted`). */
export function isPassing(outcome: Pick<TestOutcome, 'state'>): boolean {
  return outcome.state === 'delivered' || outcome.state === 'accepted'
}
