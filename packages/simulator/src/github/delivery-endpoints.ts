import { sendJson } from '../common/http-io.js'
import type { DeliveryStatusFilter } from './deliveries-log.js'
import { decodeCursor, encodeCursor } from './delivery-cursor.js'
import { deliveryDetail, deliveryItem } from './delivery-record.js'
import { sendNotFound, sendValidationError } from './error-responses.js'
import { resolveHook } from './resolve-hook.js'
import type { GitHubHandler } from './simulator-state.js'

export const DEFAULT_PER_PAGE = 30
/** "(max 100)": a larger `per_page` is clamped to 100 (the simulator's pick; most GitHub lists clamp). */
export const MAX_PER_PAGE = 100

type ListQuery = { perPage: number; fromId?: number; status?: DeliveryStatusFilter }

function parseListQuery(
  params: URLSearchParams,
): { ok: true; query: ListQuery } | { ok: false; field: string; message: string } {
  const rawPerPage = params.get('per_page')
  let perPage = DEFAULT_PER_PAGE
  if (rawPerPage !== null) {
    if (!/^\d{1,9}$/.test(rawPerPage) || Number(rawPerPage) < 1) {
      return { ok: false, field: 'per_page', message: 'per_page must be a positive integer' }
    }
    perPage = Math.min(Number(rawPerPage), MAX_PER_PAGE)
  }
  const query: ListQuery = { perPage }
  const cursor = params.get('cursor')
  if (cursor !== null && cursor !== '') {
    const fromId = decodeCursor(cursor)
    if (fromId === undefined) return { ok: false, field: 'cursor', message: 'cursor is not valid' }
    query.fromId = fromId
  }
  const status = params.get('status')
  if (status !== null) {
    if (status !== 'success' && status !== 'failure') {
      return { ok: false, field: 'status', message: 'status must be success or failure' }
    }
    query.status = status
  }
  return { ok: true, query }
}

/**
 * `GET …/deliveries`: newest first; `per_page` (default 30, clamped to 100), an opaque `cursor`,
 * `status=success|failure`. When more remain, `link: <…?per_page=N&cursor=C>; rel="next"`
 * (`status` carried too); the simulator sends no `prev`, `first` or `last`. A bad parameter is a
 * 422 `validation-error` naming it.
 */
export const handleListDeliveries: GitHubHandler = (state, request) => {
  const hook = resolveHook(state, request, 'read')
  if (hook === undefined) return
  const parsed = parseListQuery(request.url.searchParams)
  if (!parsed.ok) {
    sendValidationError(request.res, 'Validation Failed', [
      { resource: 'HookDelivery', field: parsed.field, code: 'invalid', message: parsed.message },
    ])
    return
  }
  const { query } = parsed
  const page = state.log.page(hook.id, query)
  const headers: Record<string, string> = {}
  if (page.nextFromId !== undefined) {
    const next = new URLSearchParams({
      per_page: String(query.perPage),
      cursor: encodeCursor(page.nextFromId),
    })
    if (query.status !== undefined) next.set('status', query.status)
    headers.link = `<${request.url.origin}${request.url.pathname}?${next.toString()}>; rel="next"`
  }
  sendJson(request.res, 200, page.items.map(deliveryItem), headers)
}

/** `GET …/deliveries/{id}`: the full `hook-delivery`, or 404 when not (or no longer) listed. */
export const handleGetDelivery: GitHubHandler = (state, request) => {
  const hook = resolveHook(state, request, 'read')
  if (hook === undefined) return
  const record = state.log.find(hook.id, request.route.deliveryId ?? -1)
  if (record === undefined) return sendNotFound(request.res)
  sendJson(request.res, 200, deliveryDetail(record))
}

/**
 * `POST …/deliveries/{id}/attempts`: 202 `{}` and a new delivery with the same GUID. Needs
 * Webhooks write. A delivery that is unknown or past retention gets `expiredRedeliveryStatus`:
 * 404 (default) or 422 (both are plausible readings of GitHub's unconfirmed answer).
 */
export const handleRedeliver: GitHubHandler = (state, request) => {
  request.req.resume()
  const hook = resolveHook(state, request, 'write')
  if (hook === undefined) return
  const record = state.log.find(hook.id, request.route.deliveryId ?? -1)
  if (record === undefined) {
    if (state.options.expiredRedeliveryStatus === 404) return sendNotFound(request.res)
    return sendValidationError(request.res, 'Validation Failed', [
      {
        resource: 'HookDelivery',
        field: 'delivery_id',
        code: 'custom',
        message:
          'This delivery cannot be redelivered: it is unknown or older than the retention window.',
      },
    ])
  }
  state.dispatcher.redeliver(hook, record)
  sendJson(request.res, 202, {})
}
