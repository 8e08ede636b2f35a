import { NotificationTestError, type ErrorKind } from '@notiprobe/core'
import { VENDOR } from './constants.js'

/** One problem with one field, as zod reports it. */
export interface FieldIssue {
  readonly path: readonly PropertyKey[]
  readonly message: string
  readonly code?: string
}

/**
 * "clientId is required; medium must be one of EMAIL, SLACK, TEAMS": each problem as a sentence
 * that starts with the field. (Not "field: problem": core's redaction reads `clientSecret: x` as a
 * secret and would hide the x.)
 */
export function describeFieldIssues(issues: readonly FieldIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.')
      if (path === '') return issue.message
      return issue.code === 'unrecognized_keys'
        ? `${path} has ${issue.message}`
        : `${path} ${issue.message}`
    })
    .join('; ')
}

/** The error for input refused before any request: every problem, each with its field. */
export function invalidFields(
  kind: Extract<ErrorKind, 'config' | 'invalid_input'>,
  operation: string,
  subject: string,
  issues: readonly FieldIssue[],
): NotificationTestError {
  return new NotificationTestError({
    vendor: VENDOR,
    operation,
    kind,
    message: `Invalid ${subject}: ${describeFieldIssues(issues)}`,
  })
}

/**
 * The message zod gives a strict object's unknown keys (and a value that is not an object):
 * "unknown option 'foo'; allowed: a, b".
 */
export function strictObjectErrors(noun: string, allowed: readonly string[], expected: string) {
  return (issue: {
    readonly code?: string | undefined
    readonly keys?: readonly string[]
  }): string | undefined => {
    if (issue.code === 'unrecognized_keys' && issue.keys !== undefined) {
      const keys = issue.keys.map((key) => `'${key}'`).join(', ')
      return `unknown ${noun}${issue.keys.length > 1 ? 's' : ''} ${keys}; allowed: ${allowed.join(', ')}`
    }
    if (issue.code === 'invalid_type') return expected
    return undefined
  }
}
