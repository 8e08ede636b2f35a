import type { AppleTestOutcome } from '@notiprobe/apple'
import {
  ERROR_KINDS,
  isPassing,
  type NotificationTestErrorJSON,
  type TestOutcome,
  type TestTicket,
} from '@notiprobe/core'
import type { SailPointTicket } from '@notiprobe/sailpoint'
import { z } from '@notiprobe/core/zod'
import type { ErrorJSON } from '../errors.js'
import type { Output } from './output.js'

/**
 * The one result shape of every command that checks something (`demo`, `run`, `apple test`,
 * `apple status`, `sailpoint test`, `github test`, `github redeliver`): a single-vendor command's
 * `--json` document is one result; `demo` and `run` print a report holding a list of them. The zod
 * schemas here type what the commands emit and are the source of the published JSON Schemas.
 */

const isoTime = z.describe(z.iso.datetime(), 'ISO 8601, UTC')

export const errorJsonSchema = z.meta(
  z.object({
    name: z.string(),
    message: z.describe(z.string(), 'What failed, and what to do about it.'),
    hint: z.describe(z.string(), 'What to do next, by kind: the advice CI logs and JUnit show.'),
    vendor: z.describe(
      z.string(),
      "'apple', 'sailpoint', 'github', or 'notiprobe' for the CLI itself",
    ),
    operation: z.string(),
    kind: z.enum([...ERROR_KINDS, 'internal']),
    httpStatus: z.optional(z.number().check(z.int())),
    vendorCode: z.optional(z.union([z.number(), z.string()])),
    vendorMessage: z.optional(z.string()),
    retryable: z.boolean(),
    retryAfterMs: z.optional(z.number()),
    requestId: z.optional(z.string()),
  }),
  { id: 'error', title: 'A NotificationTestError, as --json prints it' },
)

export const timingsSchema = z.meta(
  z.object({ startedAt: isoTime, endedAt: isoTime, durationMs: z.number().check(z.nonnegative()) }),
  { id: 'timings' },
)

export const ticketSchema = z.meta(
  z.object({
    vendor: z.string(),
    id: z.describe(z.string(), "The vendor's handle (Apple: the test notification token)."),
    requestedAt: z.describe(
      z.nullable(isoTime),
      'When the vendor accepted the request; null when not known (`apple status <token>`).',
    ),
    details: z.optional(z.record(z.string(), z.unknown())),
  }),
  { id: 'ticket' },
)

export const checkResultSchema = z.meta(
  z.object({
    name: z.describe(z.string(), 'The check, as named in the report and in JUnit.'),
    vendor: z.string(),
    check: z.describe(z.string(), 'What was checked: test notification, webhook ping, ...'),
    ok: z.boolean(),
    state: z.describe(
      z.string(),
      'delivered, accepted, pending, failed, sent (not followed), or an error kind; demo steps add listed, missing, PASS, FAIL.',
    ),
    evidence: z.describe(z.string(), 'One line: what proves the state.'),
    summary: z.describe(
      z.optional(z.string()),
      "The vendor outcome's own sentence, advice included.",
    ),
    error: z.optional(errorJsonSchema),
    timings: timingsSchema,
    ticket: z.optional(ticketSchema),
    details: z.describe(
      z.optional(z.record(z.string(), z.unknown())),
      "The vendor's evidence: send attempts, the verified notification, the delivery, the raw answer.",
    ),
  }),
  { id: 'checkResult', title: 'One check: the shared result shape' },
)

export const checkReportSchema = z.meta(
  z.object({
    ok: z.boolean(),
    timings: timingsSchema,
    config: z.describe(z.optional(z.string()), 'The config file `run` read.'),
    results: z.array(checkResultSchema),
    skipped: z.describe(
      z.optional(z.array(z.object({ vendor: z.string(), reason: z.string() }))),
      '`run`: vendors configured in the environment but not run, and why.',
    ),
  }),
  { id: 'checkReport', title: 'demo and run: every check, one report' },
)

export type CheckResult = z.input<typeof checkResultSchema>
export type CheckReport = z.input<typeof checkReportSchema>
export type Timings = z.input<typeof timingsSchema>

/** A single-vendor command's `--json` document: one result. */
export function emitResult(output: Output, result: CheckResult): void {
  output.emit(result)
}

/** `demo`'s and `run`'s `--json` document. */
export function emitReport(output: Output, report: CheckReport): void {
  output.emit(report)
}

/** Start and end of something, as the documents carry them. */
export function timings(startedAt: number, endedAt: number): Timings {
  return {
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    durationMs: Math.max(0, endedAt - startedAt),
  }
}

/** A ticket with its real request time; `knownRequestTime: false` for a bare token. */
export function ticketJson(
  ticket: TestTicket,
  knownRequestTime = true,
): z.input<typeof ticketSchema> {
  return {
    vendor: ticket.vendor,
    id: ticket.id,
    requestedAt:
      knownRequestTime && Number.isFinite(ticket.requestedAt)
        ? new Date(ticket.requestedAt).toISOString()
        : null,
    ...(ticket.details === undefined ? {} : { details: { ...ticket.details } }),
  }
}

interface ResultBase {
  readonly name?: string | undefined
  readonly check: string
  readonly startedAt: number
  readonly endedAt: number
}

/** A check that ran to an outcome. */
export function outcomeResult(
  base: ResultBase,
  outcome: TestOutcome,
  options: { knownRequestTime?: boolean } = {},
): CheckResult {
  const { ticket, vendor, state, summary, ...details } = outcome
  return {
    name: base.name ?? vendor,
    vendor,
    check: base.check,
    ok: isPassing(outcome),
    state,
    evidence: outcomeEvidence(outcome),
    summary,
    timings: timings(base.startedAt, base.endedAt),
    ticket: ticketJson(ticket, options.knownRequestTime),
    details: JSON.parse(JSON.stringify(details)) as Record<string, unknown>,
  }
}

/** A request the vendor accepted, not followed further (no `--wait`). */
export function sentResult(base: ResultBase, ticket: TestTicket, evidence: string): CheckResult {
  return {
    name: base.name ?? ticket.vendor,
    vendor: ticket.vendor,
    check: base.check,
    ok: true,
    state: 'sent',
    evidence,
    timings: timings(base.startedAt, base.endedAt),
    ticket: ticketJson(ticket),
  }
}

/** A check that could not finish: the error says why, its hint what to do. */
export function errorResult(base: ResultBase & { vendor: string }, error: ErrorJSON): CheckResult {
  return {
    name: base.name ?? base.vendor,
    vendor: base.vendor,
    check: base.check,
    ok: false,
    state: error.kind,
    evidence: errorEvidence(error),
    error,
    timings: timings(base.startedAt, base.endedAt),
  }
}

/**
 * The advice for a result that did not pass, as JUnit and the log both show it: the error's hint,
 * or the outcome's own sentence (which says what to check).
 */
export function adviceFor(result: CheckResult): string | undefined {
  if (result.ok) return undefined
  return result.error?.hint ?? result.summary
}

/** The evidence a person reads in the report. */
export function outcomeEvidence(outcome: TestOutcome): string {
  if (outcome.vendor === 'apple') {
    const apple = outcome as AppleTestOutcome
    const attempts = apple.attempts.map((a) => a.result).join(', ') || 'no attempt yet'
    const n = apple.notification
    return n === undefined
      ? `token ${apple.ticket.id}; attempts: ${attempts}`
      : `${n.notificationType} ${n.notificationUUID} signed and verified; attempts: ${attempts}`
  }
  if (outcome.vendor === 'sailpoint') {
    const d = (outcome.ticket as SailPointTicket).details
    return `HTTP ${d.httpStatus} from ${d.endpoint}; SailPoint gives no delivery status`
  }
  return outcome.summary
}

function errorEvidence(error: ErrorJSON): string {
  // The CLI's own errors (kind internal) have none of these facts.
  const e: Partial<NotificationTestErrorJSON> = error.kind === 'internal' ? {} : error
  const facts = [
    e.vendorCode === undefined ? undefined : `code ${String(e.vendorCode)}`,
    e.httpStatus === undefined ? undefined : `HTTP ${String(e.httpStatus)}`,
    e.requestId === undefined ? undefined : `request id ${e.requestId}`,
  ].filter((f) => f !== undefined)
  return `${firstSentence(error.message)}${facts.length === 0 ? '' : ` (${facts.join(', ')})`}`
}

/** The table shows the gist; the whole message and the hint follow it, never cut. */
function firstSentence(text: string): string {
  const end = text.search(/[.:](\s|$)/)
  return end === -1 ? text : text.slice(0, end)
}
