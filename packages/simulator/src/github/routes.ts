/** The GitHub endpoints the simulator serves; also the names faults are set on. */
export type GitHubEndpoint =
  | 'pingHook'
  | 'testHook'
  | 'listDeliveries'
  | 'getDelivery'
  | 'redeliverDelivery'
  | 'getAppHookConfig'
  | 'updateAppHookConfig'
  | 'createInstallationAccessToken'
  | 'getRateLimit'

export const GITHUB_ENDPOINTS: readonly GitHubEndpoint[] = [
  'pingHook',
  'testHook',
  'listDeliveries',
  'getDelivery',
  'redeliverDelivery',
  'getAppHookConfig',
  'updateAppHookConfig',
  'createInstallationAccessToken',
  'getRateLimit',
]

/** Which hook a route is about. */
export type HookScope =
  | { kind: 'repository'; owner: string; repo: string; hookId: number }
  | { kind: 'organization'; org: string; hookId: number }
  | { kind: 'app' }

export interface GitHubRoute {
  endpoint: GitHubEndpoint
  scope?: HookScope
  deliveryId?: number
  installationId?: number
}

const SEGMENT = '([^/]+)'
const ID = '(\\d{1,16})'
const REPO_HOOK = `/repos/${SEGMENT}/${SEGMENT}/hooks/${ID}`
const ORG_HOOK = `/orgs/${SEGMENT}/hooks/${ID}`

type Build = (m: string[]) => GitHubRoute | undefined

/** [method, path pattern, route builder]; first match wins. A trailing slash matches nothing. */
const TABLE: readonly [string, RegExp, Build][] = [
  ['POST', re(`${REPO_HOOK}/pings`), (m) => hookRoute('pingHook', repoScope(m))],
  ['POST', re(`${REPO_HOOK}/tests`), (m) => hookRoute('testHook', repoScope(m))],
  ['GET', re(`${REPO_HOOK}/deliveries`), (m) => hookRoute('listDeliveries', repoScope(m))],
  ['GET', re(`${REPO_HOOK}/deliveries/${ID}`), (m) => hookRoute('getDelivery', repoScope(m), m[4])],
  [
    'POST',
    re(`${REPO_HOOK}/deliveries/${ID}/attempts`),
    (m) => hookRoute('redeliverDelivery', repoScope(m), m[4]),
  ],
  ['POST', re(`${ORG_HOOK}/pings`), (m) => hookRoute('pingHook', orgScope(m))],
  ['GET', re(`${ORG_HOOK}/deliveries`), (m) => hookRoute('listDeliveries', orgScope(m))],
  ['GET', re(`${ORG_HOOK}/deliveries/${ID}`), (m) => hookRoute('getDelivery', orgScope(m), m[3])],
  [
    'POST',
    re(`${ORG_HOOK}/deliveries/${ID}/attempts`),
    (m) => hookRoute('redeliverDelivery', orgScope(m), m[3]),
  ],
  [
    'GET',
    re('/app/hook/deliveries'),
    () => ({ endpoint: 'listDeliveries', scope: { kind: 'app' } }),
  ],
  ['GET', re(`/app/hook/deliveries/${ID}`), (m) => hookRoute('getDelivery', { kind: 'app' }, m[1])],
  [
    'POST',
    re(`/app/hook/deliveries/${ID}/attempts`),
    (m) => hookRoute('redeliverDelivery', { kind: 'app' }, m[1]),
  ],
  ['GET', re('/app/hook/config'), () => ({ endpoint: 'getAppHookConfig', scope: { kind: 'app' } })],
  [
    'PATCH',
    re('/app/hook/config'),
    () => ({ endpoint: 'updateAppHookConfig', scope: { kind: 'app' } }),
  ],
  [
    'POST',
    re(`/app/installations/${ID}/access_tokens`),
    (m) => ({ endpoint: 'createInstallationAccessToken', installationId: Number(m[1]) }),
  ],
  ['GET', re('/rate_limit'), () => ({ endpoint: 'getRateLimit' })],
]

function re(pattern: string): RegExp {
  return new RegExp(`^${pattern}$`)
}

function decode(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

function repoScope(m: string[]): HookScope | undefined {
  const owner = decode(m[1])
  const repo = decode(m[2])
  if (owner === undefined || repo === undefined) return undefined
  return { kind: 'repository', owner, repo, hookId: Number(m[3]) }
}

function orgScope(m: string[]): HookScope | undefined {
  const org = decode(m[1])
  return org === undefined ? undefined : { kind: 'organization', org, hookId: Number(m[2]) }
}

function hookRoute(
  endpoint: GitHubEndpoint,
  scope: HookScope | undefined,
  deliveryId?: string,
): GitHubRoute | undefined {
  if (scope === undefined) return undefined
  return deliveryId === undefined
    ? { endpoint, scope }
    : { endpoint, scope, deliveryId: Number(deliveryId) }
}

/**
 * Maps a method and a path (no query, prefix already removed) to its route. GitHub answers 404,
 * not 405, to a method a path does not serve, so a miss on either is simply undefined.
 */
export function matchGitHubRoute(method: string, path: string): GitHubRoute | undefined {
  for (const [m, pattern, build] of TABLE) {
    if (m !== method) continue
    const match = pattern.exec(path)
    if (match) return build([...match])
  }
  return undefined
}
