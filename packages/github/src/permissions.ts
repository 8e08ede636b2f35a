import { OPERATIONS } from './constants.js'
import type { ResolvedTarget } from './target.js'

/** What each hook operation needs: reading the hook, or writing to it (a redelivery). */
const ACCESS: Readonly<Record<string, 'read' | 'write'>> = {
  [OPERATIONS.ping]: 'read',
  [OPERATIONS.pushTest]: 'read',
  [OPERATIONS.listDeliveries]: 'read',
  [OPERATIONS.getDelivery]: 'read',
  [OPERATIONS.redeliver]: 'write',
}

/**
 * The permission an operation needs on a target, in GitHub's own words: fine-grained tokens and
 * App installations take the "Webhooks" permission, classic tokens a hook scope, and the App's
 * own hook only the App's JWT. Undefined for operations that touch no hook.
 */
export function neededPermission(
  operation: string,
  targetType: ResolvedTarget['type'] | undefined,
): string | undefined {
  const access = ACCESS[operation]
  if (access === undefined || targetType === undefined) return undefined
  if (targetType === 'app') {
    return "the GitHub App's JWT (check clientId or appId and privateKey); only the App's owner and App managers can see its hook"
  }
  if (targetType === 'organization') {
    return `the organization permission "Webhooks" (${access}) for a fine-grained token or App installation, or the admin:org_hook scope for a classic token; the user must be an organization owner`
  }
  const classic =
    access === 'read'
      ? 'read:repo_hook, write:repo_hook, admin:repo_hook or repo'
      : 'write:repo_hook, admin:repo_hook or repo'
  return `the repository permission "Webhooks" (${access}) for a fine-grained token or App installation, or the ${classic} scope for a classic token; the user needs admin access to the repository`
}

/** `X-Accepted-GitHub-Permissions`: `repository_hooks=read; contents=read,issues=write`, readable. */
export function acceptedPermissions(header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const sets = header
    .slice(0, 500)
    .split(';')
    .map((set) =>
      set
        .split(',')
        .map((pair) => pair.trim())
        .filter((pair) => /^[a-z_]{1,64}=[a-z_]{1,16}$/.test(pair))
        .join(' and '),
    )
    .filter((set) => set !== '')
  return sets.length === 0 ? undefined : sets.join(', or ')
}
