import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from '../common/index.js'
import type { AppleRoute } from './endpoints.js'
import { sendAppleError } from './error-codes.js'
import { checkHistoryRequest } from './history-filter.js'
import { readHistoryPage } from './history-pager.js'
import { readJsonBody } from './read-json-body.js'
import type { AppleSimulatorState } from './simulator-state.js'

/**
 * POST /inApps/v1/notifications/history[?paginationToken=…]: validates the request, then answers
 * one page of at most 20 records, oldest first, with `hasMore` and, when there is more, the
 * `paginationToken` for the next page (valid only with the same body).
 */
export async function handleGetNotificationHistory(
  state: AppleSimulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  route: AppleRoute,
): Promise<void> {
  const body = await readJsonBody(req)
  if (!body.ok) return sendAppleError(res, 'GeneralBadRequest')
  const now = state.options.now()
  const check = checkHistoryRequest(body.value, state.options.environment, now)
  if (!check.ok) return sendAppleError(res, check.error)
  const { filter, fingerprint } = check

  let positions = new Map<string, number>()
  const token = new URLSearchParams(route.query).get('paginationToken')
  if (token !== null) {
    const reading = state.paginationTokens.read(token, now)
    if (!reading.ok) return sendAppleError(res, reading.error)
    if (reading.cursor.fingerprint !== fingerprint) {
      return sendAppleError(res, 'InvalidPaginationToken')
    }
    positions = reading.cursor.positions
    // Later pages keep the first page's window, so records sent meanwhile do not slip in.
    filter.endDate = reading.cursor.endDate
  }

  const { transactionId } = filter
  if (
    transactionId !== undefined &&
    !state.historySources.some((source) => source.hasTransaction(transactionId))
  ) {
    return sendAppleError(res, 'TransactionIdNotFound')
  }

  const page = await readHistoryPage(state.historySources, filter, positions)
  const paginationToken =
    page.next === undefined
      ? undefined
      : state.paginationTokens.issue(
          { fingerprint, endDate: filter.endDate, positions: page.next },
          now,
        )
  sendJson(res, 200, {
    notificationHistory: page.items,
    hasMore: paginationToken !== undefined,
    ...(paginationToken === undefined ? {} : { paginationToken }),
  })
}
