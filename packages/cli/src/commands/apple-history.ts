import type {
  AppleNotificationHistoryRecord,
  AppleNotificationPayload,
  AppleTester,
} from '@notiprobe/apple'
import { isNotificationTestError } from '@notiprobe/core'
import type { CommandContext, CommonOptions } from '../context.js'
import { parsePointInTime } from '../duration.js'
import { usageError } from '../errors.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { appleTester } from '../settings/apple.js'
import { isoTime, stateLabel } from './shared.js'

export interface AppleHistoryOptions extends CommonOptions {
  readonly since: string
  readonly until?: string
  readonly type?: string
  readonly subtype?: string
  readonly transactionId?: string
  readonly onlyFailures?: boolean
  readonly limit?: number
  readonly baseUrl?: string
  readonly rootCert?: string[]
}

/** One notification of the history, verified, as a row and as an NDJSON record. */
export interface HistoryEntry {
  readonly notificationUUID: string | undefined
  readonly notificationType: string | undefined
  readonly subtype: string | undefined
  readonly signedDate: number | undefined
  /** Whether the signed payload verified against the trusted roots, for this app. */
  readonly verified: boolean
  readonly verificationError?: string | undefined
  readonly sendAttempts: AppleNotificationHistoryRecord['sendAttempts']
  readonly notification?: AppleNotificationPayload | undefined
  readonly signedPayload: string
}

const DEFAULT_TIMEOUT_MS = 120_000

/**
 * `notiprobe apple history --since ...`: every page, each notification verified. `--json` streams
 * one line per notification as pages arrive; people get a table at the end.
 */
export async function runAppleHistory(
  context: CommandContext,
  options: AppleHistoryOptions,
): Promise<ExitCode> {
  const { output } = context
  const now = context.io.now()
  const startDate = pointInTime(context, '--since', options.since, now)
  const endDate =
    options.until === undefined ? now : pointInTime(context, '--until', options.until, now)
  const tester = await appleTester(context, {
    baseUrl: options.baseUrl,
    rootCertFiles: options.rootCert,
  })
  const progress = await output.progress('Reading Apple notification history')
  const rows: HistoryEntry[] = []
  try {
    const records = tester.notificationHistory(
      {
        startDate,
        endDate,
        notificationType: options.type,
        notificationSubtype: options.subtype,
        transactionId: options.transactionId,
        onlyFailures: options.onlyFailures,
      },
      { signal: context.signal, timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS },
    )
    // Apple lists the oldest first; --limit keeps the newest, so with it rows are held to the end.
    const streaming = output.json && options.limit === undefined
    let read = 0
    for await (const record of records) {
      const entry = await verifyEntry(tester, record)
      read++
      rows.push(entry)
      if (options.limit !== undefined && rows.length > options.limit) rows.shift()
      if (streaming) output.emit(entry)
      else progress.update(`Reading Apple notification history: ${read} so far`)
    }
    progress.stop()
    if (output.json && !streaming) for (const row of rows) output.emit(row)
  } catch (error) {
    progress.stop()
    throw error
  } finally {
    tester.close()
  }
  if (!output.json) await printHistory(context, rows, startDate, endDate)
  // A listed failure is a check that did not pass; with --only-failures every row is one.
  const failing = rows.some((row) => !row.verified || notDelivered(row))
  return failing || (options.onlyFailures === true && rows.length > 0) ? EXIT.failed : EXIT.ok
}

/** Apple tried and never got a 200 from the server: the notification did not arrive. */
function notDelivered(row: HistoryEntry): boolean {
  return (
    row.sendAttempts.length > 0 &&
    !row.sendAttempts.some((attempt) => attempt.sendAttemptResult === 'SUCCESS')
  )
}

async function verifyEntry(
  tester: AppleTester,
  record: AppleNotificationHistoryRecord,
): Promise<HistoryEntry> {
  const base = { sendAttempts: record.sendAttempts, signedPayload: record.signedPayload }
  try {
    const n = await tester.verifySignedPayload(record.signedPayload)
    return {
      notificationUUID: n.notificationUUID,
      notificationType: n.notificationType,
      subtype: n.subtype,
      signedDate: n.signedDate,
      verified: true,
      ...base,
      notification: n,
    }
  } catch (error) {
    if (!isNotificationTestError(error)) throw error
    return {
      notificationUUID: undefined,
      notificationType: undefined,
      subtype: undefined,
      signedDate: undefined,
      verified: false,
      verificationError: error.message,
      ...base,
    }
  }
}

async function printHistory(
  context: CommandContext,
  rows: readonly HistoryEntry[],
  startDate: number,
  endDate: number,
): Promise<void> {
  const { output } = context
  const span = `${isoTime(startDate)} to ${isoTime(endDate)}`
  if (rows.length === 0) {
    output.print(`No notifications from ${span}.`)
    return
  }
  await output.table(
    ['signed', 'type', 'notification UUID', 'attempts', 'verified'],
    rows.map((row) => [
      row.signedDate === undefined ? '?' : isoTime(row.signedDate),
      `${row.notificationType ?? '?'}${row.subtype === undefined ? '' : `/${row.subtype}`}`,
      row.notificationUUID ?? '?',
      row.sendAttempts.map((a) => stateLabel(output, a.sendAttemptResult)).join(', ') || 'none yet',
      row.verified
        ? output.color.green('yes')
        : output.color.red(`no: ${row.verificationError ?? ''}`),
    ]),
  )
  const unverified = rows.filter((row) => !row.verified).length
  const undelivered = rows.filter(notDelivered).length
  const problems = [
    undelivered === 0 ? '' : `; ${undelivered} never reached your server`,
    unverified === 0 ? '' : `; ${unverified} did not verify`,
  ].join('')
  output.print(
    output.color.dim(
      `${rows.length} notification${rows.length === 1 ? '' : 's'} from ${span}${problems}.`,
    ),
  )
}

function pointInTime(context: CommandContext, option: string, value: string, now: number): number {
  const ms = parsePointInTime(value, now)
  if (ms === undefined) {
    throw usageError(
      `${option}: expected a date (2026-01-31 or 2026-01-31T10:00:00Z), epoch milliseconds, or a duration ago (24h, 7d); got ${JSON.stringify(value)}.`,
      { vendor: 'apple', operation: context.operation },
    )
  }
  return ms
}
