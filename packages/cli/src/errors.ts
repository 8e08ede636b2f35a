import {
  NotificationTestError,
  isNotificationTestError,
  redact,
  type ErrorKind,
  type NotificationTestErrorJSON,
} from '@notiprobe/core'
import { EXIT, exitCodeForError, type ExitCode } from './exit-codes.js'
import { hintFor } from './output/hints.js'
import { inCliTerms } from './vocabulary.js'

/** The vendor name the CLI's own errors carry (bad options, unreadable files). */
export const CLI_VENDOR = 'notiprobe'

/** An error as `--json` prints it: a NotificationTestError's JSON, or `kind: internal` for a bug. */
export type ErrorJSON =
  | (NotificationTestErrorJSON & { readonly hint: string })
  | {
      readonly name: string
      readonly message: string
      readonly vendor: typeof CLI_VENDOR
      readonly operation: string
      readonly kind: 'internal'
      readonly retryable: false
      readonly hint: string
    }

/** What the CLI reports for anything thrown: the JSON to print and the exit code. */
export interface Failure {
  readonly json: ErrorJSON
  readonly exitCode: ExitCode
}

/**
 * A NotificationTestError is already redacted and says what to do. Anything else is a bug in
 * notiprobe or a library under it: its message still goes through `redact`, because it may quote
 * a request, a header or a key.
 */
export function describeFailure(caught: unknown, operation: string): Failure {
  if (isNotificationTestError(caught)) {
    const json = caught.toJSON()
    return {
      json: { ...json, message: inCliTerms(json.message), hint: hintFor(json) },
      exitCode: exitCodeForError(caught),
    }
  }
  const name = caught instanceof Error ? caught.name : 'Error'
  const message = caught instanceof Error ? caught.message : String(caught)
  return {
    json: {
      name,
      // The message is redacted on its own: a redaction may run to the end of the text.
      message: `Unexpected error, a bug in notiprobe (please report it): ${redact(message || name)}`,
      vendor: CLI_VENDOR,
      operation,
      kind: 'internal',
      retryable: false,
      hint: hintFor({ kind: 'internal', vendor: CLI_VENDOR }),
    },
    exitCode: EXIT.internal,
  }
}

/** An error in what the user gave the CLI: an option, a variable, a file. */
export function usageError(
  message: string,
  options: {
    vendor?: string
    operation: string
    kind?: Extract<ErrorKind, 'invalid_input' | 'config'>
  },
): NotificationTestError {
  return new NotificationTestError({
    vendor: options.vendor ?? CLI_VENDOR,
    operation: options.operation,
    kind: options.kind ?? 'invalid_input',
    message,
  })
}
