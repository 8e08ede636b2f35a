import type { AppleErrorName } from './error-codes.js'
import { isNotificationType, isSubtypeOf, type NotificationType } from './notification-types.js'

/** A validated `NotificationHistoryRequest`, with `endDate` already clamped to now. */
export interface HistoryFilter {
  startDate: number
  endDate: number
  notificationType?: NotificationType
  notificationSubtype?: string
  transactionId?: string
  onlyFailures: boolean
}

export type HistoryRequestCheck =
  { ok: true; filter: HistoryFilter; fingerprint: string } | { ok: false; error: AppleErrorName }

const DAY_MS = 86_400_000
/** How far back history reaches: Apple keeps 30 days in sandbox and 180 in production. */
export const HISTORY_RETENTION_DAYS = { Sandbox: 30, Production: 180 } as const

const TRANSACTION_ID = /^\d{1,32}$/

function isTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
}

/**
 * Validates a history request body in the order Apple reports problems: dates, then the
 * type/subtype pair, then the transaction filter, then the date range. A future `endDate` is
 * clamped to now rather than refused.
 */
export function checkHistoryRequest(
  body: unknown,
  environment: keyof typeof HISTORY_RETENTION_DAYS,
  now: number,
): HistoryRequestCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'GeneralBadRequest' }
  }
  const request = body as Record<string, unknown>
  const { startDate, endDate, notificationType, notificationSubtype, transactionId, onlyFailures } =
    request
  if (!isTimestamp(startDate)) return { ok: false, error: 'InvalidStartDate' }
  if (!isTimestamp(endDate)) return { ok: false, error: 'InvalidEndDate' }

  if (notificationType !== undefined && !isNotificationType(notificationType)) {
    return { ok: false, error: 'InvalidNotificationType' }
  }
  if (notificationSubtype !== undefined) {
    if (typeof notificationSubtype !== 'string')
      return { ok: false, error: 'InvalidNotificationType' }
    if (notificationType === undefined) return { ok: false, error: 'GeneralBadRequest' }
    if (!isSubtypeOf(notificationType, notificationSubtype)) {
      return { ok: false, error: 'InvalidNotificationType' }
    }
  }
  if (transactionId !== undefined) {
    if (notificationType !== undefined) return { ok: false, error: 'MultipleFiltersSupplied' }
    if (typeof transactionId !== 'string' || !TRANSACTION_ID.test(transactionId)) {
      return { ok: false, error: 'InvalidTransactionId' }
    }
  }
  if (onlyFailures !== undefined && typeof onlyFailures !== 'boolean') {
    return { ok: false, error: 'GeneralBadRequest' }
  }

  const effectiveEnd = Math.min(endDate, now)
  if (startDate >= effectiveEnd) return { ok: false, error: 'StartDateAfterEndDate' }
  if (startDate < now - HISTORY_RETENTION_DAYS[environment] * DAY_MS) {
    return { ok: false, error: 'StartDateTooFarInPast' }
  }

  const filter: HistoryFilter = {
    startDate,
    endDate: effectiveEnd,
    onlyFailures: onlyFailures === true,
    ...(notificationType === undefined ? {} : { notificationType }),
    ...(notificationSubtype === undefined ? {} : { notificationSubtype }),
    ...(transactionId === undefined ? {} : { transactionId }),
  }
  // The raw request (unclamped endDate): the same body must come back with each page's token.
  const fingerprint = JSON.stringify([
    startDate,
    endDate,
    notificationType ?? null,
    notificationSubtype ?? null,
    transactionId ?? null,
    onlyFailures === true,
  ])
  return { ok: true, filter, fingerprint }
}
