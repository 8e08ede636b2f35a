import { bodyExcerpt } from '@notiprobe/core/adapter'
import { VENDOR } from './constants.js'
import { isDelivered, type HookDelivery, type HookDeliveryItem } from './responses.js'
import type { DeliveryEvidence, GitHubTestOutcome, GitHubTicket } from './ticket.js'
import { vendorText } from './vendor-text.js'

const WHAT: Readonly<Record<GitHubTicket['details']['kind'], string>> = {
  ping: 'ping',
  push: 'push test',
  redelivery: 'redelivery',
}

const MAX_EVIDENCE_HEADERS = 20

/** Not listed yet: GitHub says deliveries can take a few minutes to show in the log. */
export function pendingOutcome(ticket: GitHubTicket, now: number): GitHubTestOutcome {
  const what = WHAT[ticket.details.kind]
  const push =
    ticket.details.kind === 'push'
      ? ' If the hook is not subscribed to push events, GitHub answers the test with 204 and sends nothing, so it never shows.'
      : ''
  return {
    vendor: VENDOR,
    ticket,
    state: 'pending',
    summary: `GitHub has not listed the ${what}'s delivery yet; deliveries can take a few minutes to show in the log.${push}`,
    attempts: [],
    warnings: [],
    checkedAt: now,
  }
}

/**
 * The found delivery's outcome: `delivered` only for a 2xx `status_code`. Everything else failed,
 * 3xx included: GitHub lists it under `status=success`, but follows no redirect and asks for a 2xx.
 */
export function deliveryOutcome(
  ticket: GitHubTicket,
  item: HookDeliveryItem,
  detail: HookDelivery | undefined,
  now: number,
): GitHubTestOutcome {
  const what = WHAT[ticket.details.kind]
  const delivered = isDelivered(item)
  const status = vendorText(item.status, 120) ?? '(no status)'
  const facts = `HTTP ${item.status_code} "${status}" after ${item.duration} s at ${item.delivered_at} (delivery ${item.id}, GUID ${vendorText(item.guid, 100) ?? ''})`
  const evidence = detail === undefined ? undefined : evidenceOf(detail)
  let summary: string
  if (delivered) {
    summary = `GitHub delivered the ${what} to the hook's URL: ${facts}.`
  } else {
    const answered =
      evidence?.responseBody === undefined ? '' : ` The receiver answered: ${evidence.responseBody}`
    const advice =
      item.status_code >= 300 && item.status_code < 400
        ? ' A redirect is not a delivery: GitHub does not follow it; point the hook at the final URL.'
        : " Check that the hook's URL is reachable from GitHub and answers 2xx within 10 seconds."
    summary = `GitHub's ${what} was not delivered: ${facts}.${answered}${advice}`
  }
  return {
    vendor: VENDOR,
    ticket,
    state: delivered ? 'delivered' : 'failed',
    summary,
    attempts: [
      {
        attemptedAt: Date.parse(item.delivered_at),
        result: `${item.status_code} ${status}`,
        succeeded: delivered,
      },
    ],
    warnings: [],
    raw: detail ?? item,
    delivery: item,
    evidence,
    checkedAt: now,
  }
}

function evidenceOf(detail: HookDelivery): DeliveryEvidence {
  const headers = Object.entries(detail.response.headers ?? {})
    .slice(0, MAX_EVIDENCE_HEADERS)
    .map(
      ([name, value]) => `${vendorText(name, 64) ?? ''}: ${vendorText(String(value), 200) ?? ''}`,
    )
  const payload = detail.response.payload
  const text =
    typeof payload === 'string' ? payload : payload === null ? '' : JSON.stringify(payload)
  const excerpt = bodyExcerpt(text.slice(0, 64 * 1024))
  return {
    responseHeaders: headers,
    responseBody: excerpt === undefined ? undefined : vendorText(excerpt),
  }
}
