import type { ErrorKind, NotificationTestError } from '@notiprobe/core'

/** The process exit codes of `notiprobe`, one meaning each, as `--help` and the README list them. */
export const EXIT = {
  /** Every check passed: delivered, accepted, verified. */
  ok: 0,
  /** The check ran and did not pass: not delivered, delivery failed, not confirmed in time, a signature that does not verify. */
  failed: 1,
  /** Bad input or configuration: a missing variable, an invalid option or config file, a request the vendor refused as invalid. */
  usage: 2,
  /** Authentication or permission: the vendor refused the credentials or their scopes. */
  auth: 3,
  /** The vendor or the network failed: 5xx, rate limited, unreachable, timed out, an unreadable answer. */
  unavailable: 4,
  /** A bug in notiprobe itself. */
  internal: 70,
  /** Interrupted by Ctrl-C (SIGINT); SIGTERM gives 143. */
  interrupted: 130,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

const BY_KIND: Readonly<Record<ErrorKind, ExitCode>> = {
  invalid_input: EXIT.usage,
  config: EXIT.usage,
  not_found: EXIT.usage,
  auth: EXIT.auth,
  forbidden: EXIT.auth,
  rate_limited: EXIT.unavailable,
  vendor_error: EXIT.unavailable,
  network: EXIT.unavailable,
  timeout: EXIT.unavailable,
  invalid_response: EXIT.unavailable,
  verification: EXIT.failed,
  aborted: EXIT.interrupted,
}

/**
 * The exit code an error means. A `timeout` while waiting for a test notification is a check that
 * did not pass (the vendor never confirmed delivery), not a failure of the vendor's API.
 */
export function exitCodeForError(
  error: Pick<NotificationTestError, 'kind' | 'operation'>,
): ExitCode {
  if (error.kind === 'timeout' && isWaitOperation(error.operation)) return EXIT.failed
  return BY_KIND[error.kind]
}

function isWaitOperation(operation: string): boolean {
  return /\.(waitForOutcome|waitForPerformanceTest)$/.test(operation)
}

/** Order of seriousness when several checks fail: what a person must fix first comes first. */
const SERIOUSNESS: readonly ExitCode[] = [
  EXIT.internal,
  EXIT.usage,
  EXIT.auth,
  EXIT.unavailable,
  EXIT.failed,
  EXIT.ok,
]

/** The one code for several results: the most serious of them. */
export function worstExitCode(codes: Iterable<ExitCode>): ExitCode {
  let worst: ExitCode = EXIT.ok
  for (const code of codes) {
    if (code === EXIT.interrupted) return code
    if (SERIOUSNESS.indexOf(code) < SERIOUSNESS.indexOf(worst)) worst = code
  }
  return worst
}

/** The exit-code table shown at the end of `notiprobe --help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0    success: delivered, accepted or verified
  1    the check did not pass: not delivered, failed, not confirmed in time, not verified
  2    bad input or configuration (the message names the option, variable or field)
  3    authentication or permission refused by the vendor
  4    vendor or network failure: 5xx, rate limited, unreachable, timed out
  70   internal error in notiprobe (please report it)
  130  interrupted (Ctrl-C); 143 on SIGTERM`
