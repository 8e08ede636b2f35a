import { isoSeconds } from './identifiers.js'

/** One delivery as the simulator keeps it: GitHub's fields, plus the exact bytes sent. */
export interface DeliveryRecord {
  /** int64 in GitHub's schema; kept below 2^53 here, above 2^32 on purpose. */
  id: number
  guid: string
  hookId: number
  event: string
  action: string | null
  installationId: number | null
  repositoryId: number | null
  redelivery: boolean
  /** When the POST started (ms since epoch). */
  deliveredAt: number
  /** When it shows in the deliveries log: the POST's end plus the configured log delay. */
  visibleAt: number
  /** Seconds spent delivering (the unit is unconfirmed; seconds is the likely reading). */
  duration: number
  status: string
  statusCode: number
  /** The URL posted to. */
  url: string
  /** Header names as sent, values as strings (`'42'`), as GitHub's example shows them. */
  requestHeaders: Record<string, string>
  payload: unknown
  /** The exact body sent, the bytes the signatures cover. */
  requestBody: string
  /** null when no HTTP answer came back. */
  responseHeaders: Record<string, string> | null
  responseBody: string | null
  /** Why no answer came (a Node error code), for inspection only. */
  failureDetail?: string
}

/** `hook-delivery-item`: the list's view, without request and response. */
export function deliveryItem(record: DeliveryRecord): Record<string, unknown> {
  return {
    id: record.id,
    guid: record.guid,
    delivered_at: isoSeconds(record.deliveredAt),
    redelivery: record.redelivery,
    duration: record.duration,
    status: record.status,
    status_code: record.statusCode,
    event: record.event,
    action: record.action,
    installation_id: record.installationId,
    repository_id: record.repositoryId,
    // `throttled_at` is optional in the schema; the simulator never throttles, so it is null.
    throttled_at: null,
  }
}

/** `hook-delivery`: the item plus `url`, `request` and `response` (`payload` a string). */
export function deliveryDetail(record: DeliveryRecord): Record<string, unknown> {
  return {
    ...deliveryItem(record),
    url: record.url,
    request: { headers: { ...record.requestHeaders }, payload: structuredClone(record.payload) },
    response: {
      headers: record.responseHeaders === null ? null : { ...record.responseHeaders },
      payload: record.responseBody,
    },
  }
}
