import type { z } from 'zod'
import type { ErrorKind } from './error-kind.js'
import { NotificationTestError } from './error.js'

export interface ValidationContext {
  readonly vendor: string
  readonly operation: string
  /** `config` for options and settings, `invalid_input` for call arguments. */
  readonly kind: Extract<ErrorKind, 'config' | 'invalid_input' | 'invalid_response'>
  /** What was being checked, for the message: "Apple tester options". */
  readonly subject: string
}

/**
 * Parses `input` with `schema`, or throws a NotificationTestError whose message names each field
 * and what it allows. A ZodError never leaves: it is summarised, not kept as the cause, because its
 * issues can hold the input values (secrets included).
 */
export function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
  context: ValidationContext,
): z.output<T> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  throw new NotificationTestError({
    vendor: context.vendor,
    operation: context.operation,
    kind: context.kind,
    message: `Invalid ${context.subject}: ${describeIssues(result.error)}`,
  })
}

/** "bundleId: expected a string; environment: expected one of Sandbox|Production" */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.')
      return path === '' ? issue.message : `${path}: ${issue.message}`
    })
    .join('; ')
}
