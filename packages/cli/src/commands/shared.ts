import { isPassing, type TestOutcome } from '@notiprobe/core'
import type { CommandContext } from '../context.js'
import { usageError } from '../errors.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import type { Output } from '../output/output.js'
import { READ_LIMITS, readStdin, readTextFile } from '../secrets.js'
import { visible } from '../output/terminal-text.js'

/** Core's `isPassing` as an exit code: a `failed` or a `pending` left at the deadline fails. */
export function exitCodeForOutcome(outcome: Pick<TestOutcome, 'state'>): ExitCode {
  return isPassing(outcome) ? EXIT.ok : EXIT.failed
}

/** Label and value lines under a heading: the evidence of a check, for people. */
export function printFacts(
  output: Output,
  facts: readonly (readonly [string, string | number | undefined])[],
): void {
  const shown = facts.filter(([, value]) => value !== undefined && value !== '')
  const width = Math.max(...shown.map(([label]) => label.length))
  for (const [label, value] of shown) {
    output.print(`  ${output.color.dim(label.padEnd(width))}  ${String(value)}`)
  }
}

/** How a state reads in a table or a summary line, coloured for a terminal. */
export function stateLabel(output: Output, state: string): string {
  const c = output.color
  const shown = visible(state)
  switch (state) {
    case 'delivered':
    case 'accepted':
    case 'verified':
    case 'PASS':
    case 'SUCCESS':
      return c.green(shown)
    case 'failed':
    case 'FAIL':
      return c.red(shown)
    default:
      return c.yellow(shown)
  }
}

/** An instant as ISO 8601; a number no Date can hold (a hostile vendor's) is shown as it is. */
export function isoTime(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms)
}

/** Warnings the vendor sent (a retired endpoint): on stderr, never lost. */
export function printWarnings(output: Output, warnings: readonly string[]): void {
  for (const warning of warnings) output.warn(visible(warning))
}

/**
 * A JSON object given inline, as `@file`, or as `@-` (standard input). Errors name the option.
 */
export async function readJsonObjectOption(
  context: CommandContext,
  option: string,
  value: string,
  vendor: string,
): Promise<Record<string, unknown>> {
  const source = { field: option, vendor, operation: context.operation }
  const text = value.startsWith('@')
    ? value === '@-'
      ? await readStdin(context.io, READ_LIMITS.context)
      : await readTextFile(value.slice(1), source, context.io.cwd, READ_LIMITS.context)
    : value
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw usageError(
      `${option}: not valid JSON (${(error as Error).message}). Give a JSON object, or @file holding one.`,
      {
        vendor,
        operation: context.operation,
      },
    )
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw usageError(
      `${option}: expected a JSON object such as {"name": "value"}, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}.`,
      {
        vendor,
        operation: context.operation,
      },
    )
  }
  return parsed as Record<string, unknown>
}
