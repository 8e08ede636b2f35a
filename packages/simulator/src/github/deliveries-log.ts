import type { DeliveryRecord } from './delivery-record.js'

export type DeliveryStatusFilter = 'success' | 'failure'

export interface DeliveriesPage {
  items: DeliveryRecord[]
  /** The id the next page starts at, when there is one. */
  nextFromId?: number
}

export interface DeliveriesLogOptions {
  now: () => number
  retentionMs: number
  /** Per hook, the oldest entries go past this many; default 50 000. */
  capacityPerHook?: number
}

/** `success`: `status_code` 200–399; `failure`: 400–599 (OAS `webhook-delivery-status`). */
function matchesStatus(record: DeliveryRecord, filter: DeliveryStatusFilter | undefined): boolean {
  if (filter === undefined) return true
  const code = record.statusCode
  return filter === 'success' ? code >= 200 && code <= 399 : code >= 400 && code <= 599
}

/**
 * Each hook's deliveries, oldest first in memory, served newest first. An entry is listed once
 * its `visibleAt` has come and until it is older than the retention window; expired entries are
 * dropped as new ones arrive, so memory stays bounded by the window and the capacity.
 */
export class DeliveriesLog {
  readonly #byHook = new Map<number, DeliveryRecord[]>()
  readonly #now: () => number
  readonly #retentionMs: number
  readonly #capacity: number

  constructor(options: DeliveriesLogOptions) {
    this.#now = options.now
    this.#retentionMs = options.retentionMs
    this.#capacity = options.capacityPerHook ?? 50_000
  }

  add(record: DeliveryRecord): void {
    let records = this.#byHook.get(record.hookId)
    if (records === undefined) this.#byHook.set(record.hookId, (records = []))
    // Ids only grow, so appending keeps the array in id order.
    records.push(record)
    const horizon = this.#now() - this.#retentionMs
    let drop = Math.max(0, records.length - this.#capacity)
    while (drop < records.length && (records[drop]?.deliveredAt ?? 0) < horizon) drop++
    if (drop > 0) records.splice(0, drop)
  }

  /** A delivery of this hook that is listed now (visible and within retention). */
  find(hookId: number, deliveryId: number): DeliveryRecord | undefined {
    const record = this.#byHook.get(hookId)?.find((r) => r.id === deliveryId)
    return record !== undefined && this.#listed(record, this.#now()) ? record : undefined
  }

  /**
   * Up to `perPage` listed deliveries, newest first, starting at id `fromId` (inclusive) when a
   * cursor gave one. One pass from the newest end: linear in what is skipped.
   */
  page(
    hookId: number,
    options: { perPage: number; fromId?: number; status?: DeliveryStatusFilter },
  ): DeliveriesPage {
    const records = this.#byHook.get(hookId) ?? []
    const now = this.#now()
    const items: DeliveryRecord[] = []
    for (let i = records.length - 1; i >= 0; i--) {
      const record = records[i]
      if (record === undefined) continue
      if (options.fromId !== undefined && record.id > options.fromId) continue
      if (!this.#listed(record, now) || !matchesStatus(record, options.status)) continue
      if (items.length === options.perPage) return { items, nextFromId: record.id }
      items.push(record)
    }
    return { items }
  }

  /** Every record of every hook, listed or not (for inspection). */
  all(): DeliveryRecord[] {
    return [...this.#byHook.values()].flat().sort((a, b) => a.id - b.id)
  }

  #listed(record: DeliveryRecord, now: number): boolean {
    return record.visibleAt <= now && record.deliveredAt >= now - this.#retentionMs
  }
}
