import type { ServerResponse } from 'node:http'
import { JWT_NOT_DECODED, REQUIRES_AUTHENTICATION } from './authenticate.js'
import { sendBasicError, sendNotFound } from './error-responses.js'
import type { Hook } from './hooks.js'
import type { HookPermissionLevel } from './options.js'
import { acceptedPermissions, hookAccess } from './permissions.js'
import type { GitHubRequest, GitHubSimulatorState } from './simulator-state.js'

/** Answers 401 unless the caller is the App (by its JWT). */
export function requireApp(request: GitHubRequest): boolean {
  const { principal, res } = request
  if (principal.kind === 'app') return true
  sendBasicError(
    res,
    401,
    principal.kind === 'anonymous' ? REQUIRES_AUTHENTICATION : JWT_NOT_DECODED,
  )
  return false
}

/**
 * The hook a route names, when the caller may use it at `need` level; otherwise answers and
 * returns undefined:
 * - the App's hook: its JWT only (401 otherwise, as for every `/app` endpoint);
 * - repository and organization hooks: a token (401 without one; 403 "Resource not accessible by
 *   integration" for the App's JWT, which is not meant for them); 404 when the token cannot see
 *   the hook or it does not exist; `missingWriteStatus` (403 by default, with
 *   `X-Accepted-GitHub-Permissions`) when it can read but must write.
 */
export function resolveHook(
  state: GitHubSimulatorState,
  request: GitHubRequest,
  need: HookPermissionLevel,
): Hook | undefined {
  const { route, principal, res } = request
  const scope = route.scope
  if (scope === undefined) {
    sendNotFound(res)
    return undefined
  }
  if (scope.kind === 'app') return requireApp(request) ? state.hooks.appHook : undefined
  if (principal.kind === 'anonymous') {
    sendBasicError(res, 401, REQUIRES_AUTHENTICATION)
    return undefined
  }
  if (principal.kind === 'app') {
    sendBasicError(res, 403, 'Resource not accessible by integration')
    return undefined
  }
  const access = hookAccess(principal.grant, scope, need)
  const hook =
    scope.kind === 'repository'
      ? state.hooks.repositoryHook(scope.owner, scope.repo, scope.hookId)
      : state.hooks.organizationHook(scope.org, scope.hookId)
  if (access === 'hidden' || hook === undefined) {
    sendNotFound(res)
    return undefined
  }
  if (access === 'read-only') {
    if (state.options.missingWriteStatus === 404) sendNotFound(res)
    else sendForbidden(res, principal.grant.kind, acceptedPermissions(scope, need))
    return undefined
  }
  return hook
}

function sendForbidden(
  res: ServerResponse,
  kind: 'personal' | 'installation',
  accepted: string,
): void {
  sendBasicError(
    res,
    403,
    `Resource not accessible by ${kind === 'installation' ? 'integration' : 'personal access token'}`,
    { 'x-accepted-github-permissions': accepted },
  )
}
