import type { HookPermissionLevel } from './options.js'
import type { HookScope } from './routes.js'
import type { TokenGrant } from './tokens.js'

/** What a token may do with one hook. */
export type HookAccess = 'ok' | 'hidden' | 'read-only'

function sees(list: 'all' | readonly string[], name: string): boolean {
  if (list === 'all') return true
  const wanted = name.toLowerCase()
  const repoName = wanted.slice(wanted.indexOf('/') + 1)
  // `*/name` (an installation token narrowed by repository names) matches any owner.
  return list.some((entry) => {
    const e = entry.toLowerCase()
    return e === wanted || e === `*/${repoName}`
  })
}

/**
 * Repository hooks need the repository's "Webhooks" permission, organization hooks the
 * organization's: read for ping, tests and deliveries, write for redelivery. A token that does
 * not cover the repository or organization, or has no Webhooks permission at all, cannot see the
 * hook (GitHub answers 404 rather than confirm it exists); one with read only is `read-only`.
 */
export function hookAccess(
  grant: TokenGrant,
  scope: Exclude<HookScope, { kind: 'app' }>,
  need: HookPermissionLevel,
): HookAccess {
  const [visible, level] =
    scope.kind === 'repository'
      ? [
          sees(grant.repositories, `${scope.owner}/${scope.repo}`),
          grant.permissions.repository_hooks,
        ]
      : [sees(grant.organizations, scope.org), grant.permissions.organization_hooks]
  if (!visible || level === undefined) return 'hidden'
  if (need === 'write' && level !== 'write') return 'read-only'
  return 'ok'
}

/** The `X-Accepted-GitHub-Permissions` value for a hook call. */
export function acceptedPermissions(
  scope: Exclude<HookScope, { kind: 'app' }>,
  need: HookPermissionLevel,
): string {
  return `${scope.kind === 'repository' ? 'repository_hooks' : 'organization_hooks'}=${need}`
}
