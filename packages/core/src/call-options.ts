import { z } from './zod.js'
import { MAX_TIMER_MS } from './timers.js'
import type { CallOptions } from './types.js'
import { parseWith } from './validation.js'
import type { Operation } from './operations.js'

/** A whole number of milliseconds from `min` to the longest timer, with one rule in one voice. */
export function milliseconds(min: number) {
  const rule = `expected a whole number of milliseconds from ${min} to ${MAX_TIMER_MS} (about 24.8 days)`
  return z
    .number({ error: rule })
    .check(
      z.int({ error: rule, abort: true }),
      z.gte(min, { error: rule, abort: true }),
      z.lte(MAX_TIMER_MS, { error: rule }),
    )
}

/**
 * What zod says of an options object itself: unknown keys, named with what is allowed, or a value
 * that is not an options object at all.
 */
export function optionsObjectErrors(allowed: readonly string[], noun = 'option') {
  const shape = `expected an options object {${allowed.map((key) => `${key}?`).join(', ')}}`
  return (issue: {
    readonly code?: string | undefined
    readonly keys?: readonly string[]
    readonly input?: unknown
  }): string | undefined => {
    if (issue.input instanceof AbortSignal)
      return `${shape}, not an AbortSignal: pass it as { signal }`
    if (issue.code === 'unrecognized_keys' && issue.keys !== undefined) {
      const keys = issue.keys.map((key) => `'${key}'`).join(', ')
      return `unknown ${noun}${issue.keys.length > 1 ? 's' : ''} ${keys}; allowed: ${allowed.join(', ')}`
    }
    if (issue.code === 'invalid_type') return shape
    return undefined
  }
}

/** The fields every call takes, for adapters whose calls take more (`send`'s key and medium). */
export const callOptionsShape = {
  signal: z.optional(
    z.custom<AbortSignal>((value) => value instanceof AbortSignal, {
      error: 'expected an AbortSignal',
    }),
  ),
  timeoutMs: z.optional(milliseconds(1)),
}

const CALL_FIELDS = ['signal', 'timeoutMs'] as const

const callOptionsSchema = z.optional(
  z.strictObject(callOptionsShape, { error: optionsObjectErrors(CALL_FIELDS) }),
)

/**
 * Checks the options of a public call before any request: an `invalid_input` error naming the
 * field and what it allows ("Invalid send() options: timeoutMs: expected …"). Returns a copy.
 */
export function parseCallOptions(
  options: unknown,
  vendor: string,
  operation: Operation,
  method: string,
): CallOptions {
  const parsed = parseWith(callOptionsSchema, options, {
    vendor,
    operation: operation.name,
    kind: 'invalid_input',
    subject: `${method}() options`,
  })
  return parsed ?? {}
}
