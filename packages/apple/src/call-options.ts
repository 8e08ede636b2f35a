import { parseWith, type CallOptions } from '@notiprobe/core'
import { z } from 'zod'
import type {
  ApplePerformanceTestProgress,
  WaitForPerformanceTestOptions,
} from './performance-test.js'

/** The longest timer Node.js can set (about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

const milliseconds = (min: number) => {
  const rule = `expected a whole number of milliseconds from ${min} to ${MAX_TIMER_MS} (about 24.8 days)`
  return z
    .number({ error: rule })
    .int({ error: rule, abort: true })
    .min(min, { error: rule, abort: true })
    .max(MAX_TIMER_MS, { error: rule })
}

/**
 * What zod says of the options object itself: unknown keys, named with what is allowed, or a value
 * that is not an options object at all.
 */
function objectErrors(allowed: readonly string[]) {
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
      return `unknown option${issue.keys.length > 1 ? 's' : ''} ${keys}; allowed: ${allowed.join(', ')}`
    }
    if (issue.code === 'invalid_type') return shape
    return undefined
  }
}

const callShape = {
  signal: z
    .custom<AbortSignal>((value) => value instanceof AbortSignal, {
      error: 'expected an AbortSignal',
    })
    .optional(),
  timeoutMs: milliseconds(1).optional(),
}

const CALL_FIELDS = ['signal', 'timeoutMs'] as const
const WAIT_FIELDS = [...CALL_FIELDS, 'intervalMs', 'onProgress'] as const

const callOptionsSchema = z.strictObject(callShape, { error: objectErrors(CALL_FIELDS) })

const waitOptionsSchema = z.strictObject(
  {
    ...callShape,
    intervalMs: milliseconds(0).optional(),
    onProgress: z
      .custom<(progress: ApplePerformanceTestProgress) => void>(
        (value) => typeof value === 'function',
        { error: 'expected a function taking the progress of each check' },
      )
      .optional(),
  },
  { error: objectErrors(WAIT_FIELDS) },
)

/**
 * Checks the options of a public call (`send() options` for `method` `send`) before any request:
 * an `invalid_input` error naming the field and what it allows. Returns a copy, read once.
 */
export function parseCallOptions(options: unknown, operation: string, method: string): CallOptions {
  return parseWith(callOptionsSchema, options, {
    vendor: 'apple',
    operation,
    kind: 'invalid_input',
    subject: `${method}() options`,
  })
}

/** The same for `waitForPerformanceTest`, which also takes `intervalMs` and `onProgress`. */
export function parseWaitOptions(options: unknown): WaitForPerformanceTestOptions {
  return parseWith(waitOptionsSchema, options, {
    vendor: 'apple',
    operation: 'apple.waitForPerformanceTest',
    kind: 'invalid_input',
    subject: 'waitForPerformanceTest() options',
  })
}
