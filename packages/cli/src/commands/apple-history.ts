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
import type { Output } from '../output/output.js'
import type { Progress } from '../output/progress.js'
import { visibleWidth } from '../output/table.js'
import { visible } from '../output/terminal-text.js'
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
 * `notiprobe apple history --since ...`: every page, each notification verified, each printed as it
 * arrives and then forgotten (a history can be long, and an endless one is cut by `--timeout`):
 * `--json` streams one line per notification, people get one aligned row per notification.
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
  const span = `${isoTime(startDate)} to ${isoTime(endDate)}`
  let progress: Progress | undefined = await output.progress('Reading Apple notification history')
  let count = 0
  let unverified = 0
  let undelivered = 0
  // Apple lists the oldest first; --limit keeps the newest, so only those are held, then shown.
  const newest: HistoryEntry[] = []
  const show = (entry: HistoryEntry): void => {
    if (output.json) {
      output.emit(entry)
      return
    }
    if (progress !== undefined) {
      // Rows follow as they arrive: a spinner would garble them.
      progress.stop()
      progress = undefined
      output.print(output.color.bold(historyRow(HISTORY_HEAD)))
    }
    output.print(historyRow(rowOf(output, entry)))
  }
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
    for await (const record of records) {
      const entry = await verifyEntry(tester, record)
      if (options.limit === undefined) {
        count++
        if (!entry.verified) unverified++
        if (notDelivered(entry)) undelivered++
        show(entry)
      } else {
        newest.push(entry)
        if (newest.length > options.limit) newest.shift()
      }
    }
    for (const entry of newest) {
      count++
      if (!entry.verified) unverified++
      if (notDelivered(entry)) undelivered++
      show(entry)
    }
  } finally {
    progress?.stop()
    tester.close()
  }
  if (!output.json) {
    const problems = [
      undelivered === 0 ? '' : `; ${undelivered} never reached your server`,
      unverified === 0 ? '' : `; ${unverified} did not verify`,
    ].join('')
    output.print(
      count === 0
        ? `No notifications from ${span}.`
        : output.color.dim(
            `${count} notification${count === 1 ? '' : 's'} from ${span}${problems}.`,
          ),
    )
  }
  // A listed failure is a check that did not pass; with --only-failures every row is one.
  const failing = unverified > 0 || undelivered > 0
  return failing || (options.onlyFailures === true && count > 0) ? EXIT.failed : EXIT.ok
}

/** Apple tried and never got a 200 from the server: the notification did not arrive. */
function notDelivered(row: HistoryEntry): boolean {
  return (
    row.sendAttempts.length > 0 &&
    !row.sendAttempts.some((attempt) => attempt.sendAttemptResult === 'SUCCESS')
  )
}

const HISTORY_HEAD = ['signed', 'type', 'notification UUID', 'attempts', 'verified'] as const
/** Widths of every column but the last: an ISO time, a type/subtype, a UUID, a few results. */
const HISTORY_WIDTHS = [24, 36, 36, 24] as const

function historyRow(cells: readonly string[]): string {
  return cells
    .map((cell, i) => {
      const width = HISTORY_WIDTHS[i]
      return width === undefined
        ? cell
        : cell + ' '.repeat(Math.max(1, width + 2 - visibleWidth(cell)))
    })
    .join('')
}

function rowOf(output: Output, row: HistoryEntry): string[] {
  return [
    row.signedDate === undefined ? '?' : isoTime(row.signedDate),
    visible(`${row.notificationType ?? '?'}${row.subtype === undefined ? '' : `/${row.subtype}`}`),
    visible(row.notificationUUID ?? '?'),
    row.sendAttempts.map((a) => stateLabel(output, a.sendAttemptResult)).join(', ') || 'none yet',
    row.verified
      ? output.color.green('yes')
      : output.color.red(`no: ${visible(row.verificationError ?? '')}`),
  ]
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
