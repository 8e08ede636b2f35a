import type { HistoryFilter } from './history-filter.js'
import type { NotificationType } from './notification-types.js'
import type { SendAttempt, SendAttemptResult } from './send-attempt-result.js'

/** One item of `notificationHistory` in Apple's response. */
export interface NotificationHistoryItem {
  signedPayload: string
  sendAttempts: SendAttempt[]
}

/**
 * A sequence of notifications in date order that the history pages through. Sources let seeded
 * history stay virtual: a batch of 100 000 records is a formula, not 100 000 objects.
 */
export interface HistorySource {
  readonly id: string
  readonly size: number
  /** Signed date of record `index`; never decreasing with the index. */
  dateAt(index: number): number
  /** True when no record of this source can match, so paging skips it without scanning. */
  excludes(filter: HistoryFilter): boolean
  matches(index: number, filter: HistoryFilter): boolean
  hasTransaction(transactionId: string): boolean
  item(index: number): Promise<NotificationHistoryItem>
}

function neverSucceeded(attempts: readonly SendAttempt[]): boolean {
  return attempts.every((attempt) => attempt.sendAttemptResult !== 'SUCCESS')
}

/** A notification the simulator really sent (TEST ones). Its attempts grow as they happen. */
export interface SentNotification {
  signedDate: number
  notificationType: NotificationType
  subtype?: string
  signedPayload: string
  sendAttempts: SendAttempt[]
}

/** The notifications the simulator sent, kept in date order. */
export class SentNotificationsSource implements HistorySource {
  readonly id = 'sent'
  readonly #items: SentNotification[] = []

  get size(): number {
    return this.#items.length
  }

  add(notification: SentNotification): void {
    this.#items.push(notification)
    const n = this.#items.length
    // An injected clock may step backwards; keep the order paging relies on.
    if (n > 1 && (this.#items[n - 2]?.signedDate ?? 0) > notification.signedDate) {
      this.#items.sort((a, b) => a.signedDate - b.signedDate)
    }
  }

  dateAt(index: number): number {
    return this.#at(index).signedDate
  }

  excludes(filter: HistoryFilter): boolean {
    return filter.transactionId !== undefined || this.#items.length === 0
  }

  matches(index: number, filter: HistoryFilter): boolean {
    const item = this.#at(index)
    if (
      filter.notificationType !== undefined &&
      item.notificationType !== filter.notificationType
    ) {
      return false
    }
    if (filter.notificationSubtype !== undefined && item.subtype !== filter.notificationSubtype) {
      return false
    }
    return !filter.onlyFailures || neverSucceeded(item.sendAttempts)
  }

  hasTransaction(): boolean {
    return false
  }

  item(index: number): Promise<NotificationHistoryItem> {
    const { signedPayload, sendAttempts } = this.#at(index)
    return Promise.resolve({ signedPayload, sendAttempts: sendAttempts.map((a) => ({ ...a })) })
  }

  #at(index: number): SentNotification {
    const item = this.#items[index]
    if (item === undefined) throw new RangeError(`no sent notification at ${String(index)}`)
    return item
  }
}

/** A batch of seeded history records, spread evenly between two dates. */
export interface SeedBatchSpec {
  id: string
  count: number
  startDate: number
  endDate: number
  notificationType: NotificationType
  subtype?: string
  transactionId: string
  sendAttemptResult: SendAttemptResult
  /** Signs the payload of one record (called once per batch when payloads are shared). */
  sign: (signedDate: number) => Promise<string>
  sharedPayload: boolean
}

/**
 * Seeded records: dates and attempts are computed from the index, and the signed payload is
 * either one per batch (cheap enough for a 100 000-record benchmark) or signed per record on
 * demand.
 */
export class SeedBatchSource implements HistorySource {
  readonly id: string
  readonly size: number
  readonly #spec: SeedBatchSpec
  #shared: Promise<string> | undefined

  constructor(spec: SeedBatchSpec) {
    this.#spec = spec
    this.id = spec.id
    this.size = spec.count
  }

  dateAt(index: number): number {
    const { count, startDate, endDate } = this.#spec
    if (count <= 1) return startDate
    return startDate + Math.floor((index * (endDate - startDate)) / (count - 1))
  }

  excludes(filter: HistoryFilter): boolean {
    const spec = this.#spec
    if (
      filter.notificationType !== undefined &&
      filter.notificationType !== spec.notificationType
    ) {
      return true
    }
    if (filter.notificationSubtype !== undefined && filter.notificationSubtype !== spec.subtype) {
      return true
    }
    if (filter.transactionId !== undefined && filter.transactionId !== spec.transactionId)
      return true
    return filter.onlyFailures && spec.sendAttemptResult === 'SUCCESS'
  }

  matches(_index: number, filter: HistoryFilter): boolean {
    return !this.excludes(filter)
  }

  hasTransaction(transactionId: string): boolean {
    return this.#spec.transactionId === transactionId
  }

  async item(index: number): Promise<NotificationHistoryItem> {
    const spec = this.#spec
    const signedPayload = spec.sharedPayload
      ? await (this.#shared ??= spec.sign(spec.startDate))
      : await spec.sign(this.dateAt(index))
    return {
      signedPayload,
      // Apple records the attempt right after signing; a fixed offset keeps dates deterministic.
      sendAttempts: [
        { attemptDate: this.dateAt(index) + 100, sendAttemptResult: spec.sendAttemptResult },
      ],
    }
  }
}
