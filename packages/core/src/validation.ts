import { z } from './zod.js'
import type { ErrorKind } from './error-kind.js'
import { NotificationTestError } from './error.js'

/** One problem with one field, as zod reports it (or as an adapter adds it). */
export interface FieldIssue {
  readonly path: readonly PropertyKey[]
  readonly message: string
}

export interface ValidationContext {
  readonly vendor: string
  /** The operation's name: `apple.createAppleTester`. */
  readonly operation: string
  /** `config` for options and settings, `invalid_input` for call arguments. */
  readonly kind: Extract<ErrorKind, 'config' | 'invalid_input' | 'invalid_response'>
  /** What was being checked, for the message: "Apple tester options". */
  readonly subject: string
  /** How fields are called where they came from (`clientId` read from `SAIL_CLIENT_ID`). */
  readonly names?: Readonly<Record<string, string>> | undefined
}

/**
 * Parses `input` with `schema`, or throws a NotificationTestError whose message names each field
 * and what it allows. A ZodError never leaves: it is summarised, not kept as the cause, because its
 * issues can hold the input values (secrets included). Nor does what a getter or a Proxy throws
 * while zod reads the input: it is refused the same way, its own message left out for that reason.
 */
export function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
  context: ValidationContext,
): z.output<T> {
  let result: z.ZodSafeParseResult<z.output<T>>
  try {
    result = z.safeParse(schema, input)
  } catch {
    throw invalidFields(context, [unreadableField(input)])
  }
  if (result.success) return result.data
  throw invalidFields(context, result.error.issues)
}

const UNREADABLE = 'could not be read (a getter or Proxy threw); pass plain data'

/**
 * The issue for input that threw while read: names the first top-level field that throws, if any.
 * What was thrown is left out, since a getter's message may hold a secret.
 */
export function unreadableField(input: unknown): FieldIssue {
  try {
    if (typeof input !== 'object' || input === null) return { path: [], message: UNREADABLE }
    for (const key of Object.keys(input)) {
      try {
        Reflect.get(input, key)
      } catch {
        return { path: [key], message: UNREADABLE }
      }
    }
  } catch {
    // Even listing its keys threw: the object as a whole is unreadable.
  }
  return { path: [], message: UNREADABLE }
}

/** The error for input refused before any request: every problem, each with its field. */
export function invalidFields(
  context: ValidationContext,
  issues: readonly FieldIssue[],
): NotificationTestError {
  return new NotificationTestError({
    vendor: context.vendor,
    operation: context.operation,
    kind: context.kind,
    message: `Invalid ${context.subject}: ${describeIssues(issues, context.names)}`,
  })
}

/**
 * "bundleId: expected a string; environment: expected Sandbox or Production". A field named like a
 * secret (`clientSecret: is required`) stays readable: redaction hides a value only when it follows
 * `=` or is quoted after `:`, and no rule message here starts with a quote (a test holds this).
 */
export function describeIssues(
  issues: readonly FieldIssue[],
  names: Readonly<Record<string, string>> = {},
): string {
  return issues
    .map((issue) => {
      const [first, ...rest] = issue.path.map(String)
      const path = first === undefined ? '' : [names[first] ?? first, ...rest].join('.')
      const message = issue.message.replace(/^["'`]+/, '')
      return path === '' ? message : `${path}: ${message}`
    })
    .join('; ')
}

/** Messages that say what is expected and never repeat the value given (it may be a secret). */
export function expected(what: string): { error: (issue: { input?: unknown }) => string } {
  return {
    error: (issue) => (issue.input === undefined ? `is required (${what})` : `expected ${what}`),
  }
}

/**
 * Checks a ticket handed back to `check()` against the adapter's ticket schema: a ticket that is
 * not one (edited, or from another vendor) is refused as `invalid_input`, naming each field.
 */
export function parseTicket<T extends z.ZodType>(
  schema: T,
  ticket: unknown,
  context: Pick<ValidationContext, 'vendor' | 'operation' | 'subject'>,
): z.output<T> {
  const { vendor, operation, subject } = context
  return parseWith(schema, ticket, { vendor, operation, subject, kind: 'invalid_input' })
}
