import type { TestOutcome, TestTicket } from '@notiprobe/core'
import { showGiven } from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import { VENDOR } from './constants.js'
import type { HookDeliveryItem } from './responses.js'

/** What a send asked GitHub for: a ping, the push test, or a redelivery (the App's hook). */
export const TEST_KINDS = ['ping', 'push', 'redelivery'] as const
export type GitHubTestKind = (typeof TEST_KINDS)[number]

export type GitHubTicketDetails = {
  readonly kind: GitHubTestKind
  /** The deliveries log the delivery will show in, e.g. `/repos/o/r/hooks/1/deliveries`. */
  readonly deliveries: string
  /** `POST /repos/o/r/hooks/1/pings` */
  readonly endpoint: string
  /** 204 for a ping or test, 202 for a redelivery. */
  readonly httpStatus: number
  /**
   * Epoch milliseconds: a delivery at or after it may be this send's. GitHub's own time (the
   * `Date` of its answer) less a small skew, so this machine's clock does not matter.
   */
  readonly since: number
  /** The GUID to match exactly: the redelivered event's, or the one notiprobe's receiver saw. */
  readonly guid?: string | undefined
  /** The delivery id a redelivery repeats; the new delivery has another id. */
  readonly redeliveryOf?: string | undefined
}

/** A ping, push test or redelivery GitHub accepted. GitHub returns no id for it: `id` is local. */
export interface GitHubTicket extends TestTicket {
  readonly vendor: 'github'
  readonly details: GitHubTicketDetails
}

/** What the receiver answered GitHub, from the delivery's record: the failed path's evidence. */
export interface DeliveryEvidence {
  /** Up to 20 `name: value` lines, vendor text made printable. */
  readonly responseHeaders: readonly string[]
  /** The start of the body, tags dropped, one line. */
  readonly responseBody: string | undefined
}

export interface GitHubTestOutcome extends TestOutcome {
  readonly ticket: GitHubTicket
  /** The delivery found in the log, as GitHub listed it. */
  readonly delivery?: HookDeliveryItem | undefined
  /** For a failed delivery: what the receiver answered. */
  readonly evidence?: DeliveryEvidence | undefined
}

const GUID = /^[A-Za-z0-9-]{1,100}$/

export const guidSchema = z
  .string({ error: 'expected the X-GitHub-Delivery GUID' })
  .check(
    z.trim(),
    z.regex(GUID, { error: 'expected the X-GitHub-Delivery GUID: letters, digits and hyphens' }),
  )

const epochMs = z
  .number({ error: 'must be epoch milliseconds' })
  .check(
    z.refine(
      (ms) => Number.isSafeInteger(ms) && ms >= 0 && ms <= 8.64e15,
      'must be epoch milliseconds',
    ),
  )

export const ticketSchema = z.looseObject({
  vendor: z.literal(VENDOR, {
    error: (issue) =>
      `must be 'github' (got ${showGiven(issue.input)}): check this ticket with its own vendor's tester`,
  }),
  id: z
    .string({ error: 'must be the ticket id send() returned' })
    .check(z.minLength(1, 'must not be empty')),
  requestedAt: epochMs,
  details: z.looseObject(
    {
      kind: z.enum(TEST_KINDS, { error: `must be one of ${TEST_KINDS.join(', ')}` }),
      deliveries: z.string({ error: 'must be the deliveries path send() returned' }),
      endpoint: z.string({ error: 'must be the endpoint send() returned' }),
      httpStatus: z.number({ error: 'must be the HTTP status send() returned' }),
      since: epochMs,
      guid: z.optional(guidSchema),
      redeliveryOf: z.optional(z.string().check(z.regex(/^[0-9]{1,19}$/, 'must be a delivery id'))),
    },
    { error: 'must be the details send() returned' },
  ),
})

/**
 * Whether a listed delivery is the one a ticket's send caused (its time is checked apart): the
 * exact GUID when one is known; else a ping or push that is not a redelivery; a redelivery is a
 * new entry (another id) with `redelivery: true` and the original's GUID.
 */
export function isTicketDelivery(item: HookDeliveryItem, details: GitHubTicketDetails): boolean {
  if (details.guid !== undefined && item.guid !== details.guid) return false
  if (details.kind === 'redelivery') return item.redelivery && item.id !== details.redeliveryOf
  return item.event === details.kind && !item.redelivery
}
