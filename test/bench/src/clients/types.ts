/**
 * The ways of calling each vendor, behind one shape so that the workloads are identical: notiprobe,
 * raw `node:http`, the named-dependency floor (axios, jose, openid-client used bare) and the
 * official SDK; and, for GitHub's deliveries page only, the floor that also checks each delivery
 * with zod used bare (`zod-floor`): what validating the page costs any client of the named
 * dependencies.
 */
export type ClientKind = 'notiprobe' | 'raw' | 'floor' | 'sdk' | 'zod-floor'

/** The clients every workload runs: the table's columns. */
export const CLIENT_KINDS: readonly ClientKind[] = ['notiprobe', 'raw', 'floor', 'sdk']

export interface HistoryWindow {
  readonly startDate: number
  readonly endDate: number
}

export interface AppleBenchClient {
  /** Request a Test Notification; resolves to the test notification token. */
  requestTest(): Promise<string>
  /** Get Test Notification Status, the answer as the client gives it. */
  status(token: string): Promise<unknown>
  /** Status, then the signed payload verified against the simulator's root. */
  statusVerified(token: string): Promise<unknown>
  /** Reads every record of the window, page by page; calls `onRecord` for each. */
  history(window: HistoryWindow, onRecord: (record: unknown) => void): Promise<void>
  close(): void
}

export interface SailPointBenchClient {
  /** One send-test-notification that SailPoint accepts (204). */
  send(): Promise<void>
  close(): void
}

export interface GitHubBenchClient {
  /** Ping the hook (204): GitHub's test delivery. */
  ping(): Promise<void>
  /** One page of the hook's deliveries log; resolves to the number of deliveries read. */
  deliveries(): Promise<number>
  close(): void
}
