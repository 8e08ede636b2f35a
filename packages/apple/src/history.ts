import { createHash } from 'node:crypto'
import { NotificationTestError, isNotificationTestError } from '@notiprobe/core'
import { describeIssues, failedMessage, withMessage, type Deadline } from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import type { AppleApi } from './api-client.js'
import type { AppleEnvironment } from './environment.js'
import { PAGINATION_TOKEN_EXPIRED } from './error-codes.js'
import { expected } from './fields.js'
import { APPLE_OPERATIONS } from './operations.js'
import {
  notificationHistoryResponseSchema,
  type AppleNotificationHistoryRecord,
} from './responses.js'

/** Which notifications to list. Dates are `Date`s or epoch milliseconds. */
export interface AppleNotificationHistoryRequest {
  /** Required; at most 180 days ago in Production, 30 in Sandbox. */
  readonly startDate: Date | number
  /** Required; after `startDate`. Apple treats a future end as now. */
  readonly endDate: Date | number
  /** e.g. `DID_RENEW`; not together with `transactionId`. */
  readonly notificationType?: string | undefined
  /** Needs `notificationType`. */
  readonly notificationSubtype?: string | undefined
  /** One customer's notifications; not together with `notificationType`. */
  readonly transactionId?: string | undefined
  /** Only notifications your server did not acknowledge. */
  readonly onlyFailures?: boolean | undefined
}

/** How far back Apple keeps notification history. */
export const HISTORY_RETENTION_DAYS: Readonly<Record<AppleEnvironment, number>> = {
  Production: 180,
  Sandbox: 30,
}

const DAY_MS = 86_400_000
const OPERATION = APPLE_OPERATIONS.getNotificationHistory

const dateSchema = z.lazy(() =>
  z.union(
    [
      z.date().check(z.refine((date) => Number.isFinite(date.getTime()))),
      z.number().check(z.int(), z.gte(0), z.lte(8.64e15)),
    ],
    expected('a Date or a time in epoch milliseconds'),
  ),
)

const NAME = /^[A-Z][A-Z0-9_]{0,63}$/

const requestSchema = z.lazy(() =>
  z.strictObject({
    startDate: dateSchema,
    endDate: dateSchema,
    notificationType: z.optional(
      z
        .string(expected('a notification type such as DID_RENEW'))
        .check(z.regex(NAME, { error: 'expected a notification type such as DID_RENEW or TEST' })),
    ),
    notificationSubtype: z.optional(
      z
        .string(expected('a notification subtype such as INITIAL_BUY'))
        .check(z.regex(NAME, { error: 'expected a notification subtype such as INITIAL_BUY' })),
    ),
    transactionId: z.optional(
      z
        .string(expected('a transaction id'))
        .check(z.regex(/^\d{1,64}$/, { error: 'expected a transaction id, a string of digits' })),
    ),
    onlyFailures: z.optional(z.boolean(expected('true or false'))),
  }),
)

/** The body Apple receives, identical on every page. */
export interface NotificationHistoryBody {
  readonly startDate: number
  readonly endDate: number
  readonly notificationType?: string
  readonly notificationSubtype?: string
  readonly transactionId?: string
  readonly onlyFailures?: boolean
}

/**
 * Checks a history request the way Apple would, before anything is sent: both dates, the retention
 * window of the environment, start before end, one filter at most, a subtype only with its type.
 * Every problem is listed, each with its field.
 */
export function checkNotificationHistoryRequest(
  request: AppleNotificationHistoryRequest,
  now: number,
  environment: AppleEnvironment,
): NotificationHistoryBody {
  const parsed = z.safeParse(requestSchema, request)
  if (!parsed.success) throw invalid(describeIssues(parsed.error.issues))
  const input = parsed.data
  const startDate = toMs(input.startDate)
  const endDate = toMs(input.endDate)
  const problems: string[] = []
  const days = HISTORY_RETENTION_DAYS[environment]
  const earliest = now - days * DAY_MS
  if (startDate > now) problems.push(`startDate: is in the future (${iso(startDate)})`)
  else if (startDate < earliest) {
    problems.push(
      `startDate: is more than ${days} days ago; Apple keeps notification history for ${HISTORY_RETENTION_DAYS.Production} days in Production and ${HISTORY_RETENTION_DAYS.Sandbox} in Sandbox, so in ${environment} start at ${iso(earliest)} or later`,
    )
  }
  if (startDate >= endDate) {
    problems.push(
      `startDate: must be before endDate (start ${iso(startDate)}, end ${iso(endDate)})`,
    )
  }
  if (input.transactionId !== undefined && input.notificationType !== undefined) {
    problems.push(
      'transactionId: cannot be combined with notificationType; filter by one or the other',
    )
  }
  if (input.notificationSubtype !== undefined && input.notificationType === undefined) {
    problems.push('notificationSubtype: needs notificationType')
  }
  if (problems.length > 0) throw invalid(problems.join('; '))
  return {
    startDate,
    endDate,
    ...(input.notificationType === undefined ? {} : { notificationType: input.notificationType }),
    ...(input.notificationSubtype === undefined
      ? {}
      : { notificationSubtype: input.notificationSubtype }),
    ...(input.transactionId === undefined ? {} : { transactionId: input.transactionId }),
    ...(input.onlyFailures === undefined ? {} : { onlyFailures: input.onlyFailures }),
  }
}

/** Apple's page size: a page with more records is not Apple's. */
export const HISTORY_PAGE_SIZE = 20

/**
 * Every record of every page, in Apple's order, fetching the next page only when the caller gets
 * there. The same body goes with each page; the pagination token only from the second page on.
 *
 * An Apple (or a proxy) that misbehaves cannot keep it going: the call's one deadline covers the
 * whole iteration, not each page; a pagination token seen before, or a page larger than Apple's
 * 20 records, ends it with an `invalid_response` error. Tokens are remembered as digests only.
 */
export async function* iterateNotificationHistory(
  api: AppleApi,
  body: NotificationHistoryBody,
  deadline: Deadline,
): AsyncGenerator<AppleNotificationHistoryRecord, void, undefined> {
  const seenTokens = new Set<string>()
  let paginationToken: string | undefined
  let pages = 0
  let records = 0
  const progress = (): string => `after ${pages} page(s) and ${records} record(s)`
  for (;;) {
    if (deadline.aborted) throw stopped(deadline, progress())
    let page: z.output<typeof notificationHistoryResponseSchema>
    try {
      const query = paginationToken === undefined ? {} : { query: { paginationToken } }
      page = await api.call(
        'getNotificationHistory',
        { path: '/inApps/v1/notifications/history', json: body, ...query },
        notificationHistoryResponseSchema,
        deadline,
      )
    } catch (error) {
      if (deadline.aborted) throw stopped(deadline, progress())
      if (isNotificationTestError(error) && error.vendorCode === PAGINATION_TOKEN_EXPIRED) {
        throw withMessage(
          error,
          `Notification history stopped: Apple error ${PAGINATION_TOKEN_EXPIRED} PaginationTokenExpired ${progress()}. Restart the iteration: call notificationHistory() again with the same request (the records already read will come again).`,
        )
      }
      throw error
    }
    pages++
    if (page.notificationHistory.length > HISTORY_PAGE_SIZE) {
      throw badPage(
        `page ${pages} holds ${page.notificationHistory.length} records; Apple sends at most ${HISTORY_PAGE_SIZE}.`,
      )
    }
    for (const record of page.notificationHistory) {
      records++
      yield record
    }
    if (!page.hasMore) return
    if (page.paginationToken === undefined) {
      throw badPage(`Apple said more records follow page ${pages} but gave no pagination token.`)
    }
    const digest = createHash('sha256').update(page.paginationToken).digest('base64')
    if (seenTokens.has(digest)) {
      throw badPage(
        `Apple said more records follow page ${pages} but gave a pagination token it had already given: the history would never end.`,
      )
    }
    seenTokens.add(digest)
    paginationToken = page.paginationToken
  }
}

function badPage(details: string): NotificationTestError {
  return new NotificationTestError({
    vendor: 'apple',
    operation: OPERATION.name,
    kind: 'invalid_response',
    httpStatus: 200,
    message: failedMessage(OPERATION, details),
  })
}

/** The whole iteration's deadline passed, or the caller aborted it. */
function stopped(deadline: Deadline, progress: string): NotificationTestError {
  return deadline.timedOut()
    ? new NotificationTestError({
        vendor: 'apple',
        operation: OPERATION.name,
        kind: 'timeout',
        retryable: true,
        message: `${OPERATION.label} did not finish within ${deadline.timeoutMs ?? 0} ms (the deadline covers every page) ${progress}. Narrow the dates or the filters, or raise timeoutMs.`,
      })
    : new NotificationTestError({
        vendor: 'apple',
        operation: OPERATION.name,
        kind: 'aborted',
        message: `${OPERATION.label} was aborted by the caller ${progress}.`,
      })
}

function invalid(details: string): NotificationTestError {
  return new NotificationTestError({
    vendor: 'apple',
    operation: OPERATION.name,
    kind: 'invalid_input',
    message: `Invalid notification history request: ${details}`,
  })
}

function toMs(value: Date | number): number {
  return typeof value === 'number' ? value : value.getTime()
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}
