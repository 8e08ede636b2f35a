import type { GitHubId } from './github-id.js'
import type { ResolvedTarget } from './target.js'

/**
 * The REST paths of one hook, relative to the base URL. Repository and organization hooks are
 * reached with a token (or an installation token); the App's own hook only with the App's JWT.
 * Only repository hooks have the push test, and the App's hook has no ping at all.
 */
export interface HookPaths {
  readonly auth: 'token' | 'app-jwt'
  /** `POST`, 204 with no body. */
  readonly ping: string | undefined
  /** `POST`, 204 with no body; GitHub sends nothing unless the hook is subscribed to `push`. */
  readonly pushTest: string | undefined
  /** `GET`, newest first, paged by the `link` header's cursor. */
  readonly deliveries: string
  /** `GET` one delivery, with its request and response. */
  delivery(deliveryId: GitHubId): string
  /** `POST`, 202: a new delivery with a new id and the same GUID. */
  redeliver(deliveryId: GitHubId): string
}

/** Each segment is encoded, although validation already keeps `/`, `%` and `..` out of them. */
const segment = encodeURIComponent

export function hookPaths(target: ResolvedTarget): HookPaths {
  const hook =
    target.type === 'repository'
      ? `/repos/${segment(target.owner)}/${segment(target.repo)}/hooks/${segment(target.hookId)}`
      : target.type === 'organization'
        ? `/orgs/${segment(target.org)}/hooks/${segment(target.hookId)}`
        : '/app/hook'
  const deliveries = `${hook}/deliveries`
  return {
    auth: target.type === 'app' ? 'app-jwt' : 'token',
    ping: target.type === 'app' ? undefined : `${hook}/pings`,
    pushTest: target.type === 'repository' ? `${hook}/tests` : undefined,
    deliveries,
    delivery: (deliveryId) => `${deliveries}/${segment(deliveryId)}`,
    redeliver: (deliveryId) => `${deliveries}/${segment(deliveryId)}/attempts`,
  }
}

/** `POST` with the App's JWT, 201 with `{token, expires_at}`. */
export function installationTokenPath(installationId: GitHubId): string {
  return `/app/installations/${segment(installationId)}/access_tokens`
}

/** `GET` with the App's JWT: the installation on the hook's repository or organization. */
export function installationLookupPath(target: Exclude<ResolvedTarget, { type: 'app' }>): string {
  return target.type === 'repository'
    ? `/repos/${segment(target.owner)}/${segment(target.repo)}/installation`
    : `/orgs/${segment(target.org)}/installation`
}

/** GitHub's page size cap for the deliveries log. */
export const DELIVERIES_PAGE_SIZE = 100

export interface DeliveriesQuery {
  readonly perPage?: number | undefined
  readonly cursor?: string | undefined
  /** `success`: status codes 200–399 (3xx included); `failure`: 400–599. */
  readonly status?: 'success' | 'failure' | undefined
}

/** The query string of a deliveries page, `?per_page=100&status=failure`. */
export function deliveriesQuery(query: DeliveriesQuery = {}): string {
  const params = new URLSearchParams({ per_page: String(query.perPage ?? DELIVERIES_PAGE_SIZE) })
  if (query.cursor !== undefined) params.set('cursor', query.cursor)
  if (query.status !== undefined) params.set('status', query.status)
  return `?${params.toString()}`
}
