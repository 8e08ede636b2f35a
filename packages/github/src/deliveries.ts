import { z } from '@notiprobe/core/zod'
import type { Deadline, Operation } from '@notiprobe/core/adapter'
import { invalidResponse, type Credential, type GitHubApi } from './api.js'
import { parseExactJson } from './exact-json.js'
import { nextPageUrl } from './link-header.js'
import { hookDeliveryItemSchema, type HookDeliveryItem } from './responses.js'

/** GitHub's largest page of the deliveries log ("max 100"). */
export const MAX_PAGE_SIZE = 100

export interface DeliveriesLocation {
  readonly api: GitHubApi
  readonly baseUrl: string
  /** `/repos/o/r/hooks/1/deliveries` or `/app/hook/deliveries`. */
  readonly path: string
  readonly credential: Credential
  readonly operation: Operation
}

export interface PageQuery {
  readonly perPage: number
  readonly status?: 'success' | 'failure' | undefined
}

/**
 * The deliveries log newest first, a page at a time, following the `link` header's `rel="next"`
 * (its query, with GitHub's opaque cursor, verbatim) on the list's own path only. A page larger
 * than asked for, or a next page already read (an endless cursor), is an invalid response; the
 * caller's deadline bounds the rest.
 */
export async function* deliveryPages(
  location: DeliveriesLocation,
  query: PageQuery,
  deadline: () => Deadline,
): AsyncGenerator<readonly HookDeliveryItem[], void, undefined> {
  const { api, operation } = location
  const first = new URLSearchParams({ per_page: String(query.perPage) })
  if (query.status !== undefined) first.set('status', query.status)
  let search: string | undefined = `?${first.toString()}`
  const seen = new Set<string>()
  while (search !== undefined) {
    seen.add(search)
    const response = await api.request({
      operation,
      method: 'GET',
      path: location.path + search,
      callKind: 'read',
      bodyRead: 'stream',
      credential: location.credential,
      deadline: deadline(),
    })
    yield readPage(response.body, query.perPage, operation)
    const next = nextPageUrl(response.headers.link, {
      baseUrl: location.baseUrl,
      path: location.path,
      operation: operation.name,
    })
    search = next === undefined ? undefined : new URL(next).search
    if (search !== undefined && seen.has(search)) {
      throw invalidResponse(
        operation,
        "GitHub's link header pointed back to a page already read (a cursor that repeats), so the list would never end",
      )
    }
  }
}

function readPage(body: string, perPage: number, operation: Operation): HookDeliveryItem[] {
  let json: unknown
  try {
    json = parseExactJson(body)
  } catch {
    throw invalidResponse(operation, 'a page of the deliveries log was not JSON')
  }
  if (!Array.isArray(json)) {
    throw invalidResponse(operation, 'a page of the deliveries log was not a list')
  }
  // Counted before any item is checked: a hostile page costs one length check.
  if (json.length > perPage) {
    throw invalidResponse(
      operation,
      `a page of the deliveries log held ${json.length} deliveries where ${perPage} were asked for`,
    )
  }
  return json.map((item, index) => {
    const parsed = z.safeParse(hookDeliveryItemSchema, item)
    if (parsed.success) return parsed.data
    const issue = parsed.error.issues[0]
    const field = issue?.path.map(String).join('.') ?? ''
    throw invalidResponse(
      operation,
      `delivery ${index} of a deliveries page did not have GitHub's documented shape (${field === '' ? '' : `${field}: `}${issue?.message ?? 'invalid'})`,
    )
  })
}
