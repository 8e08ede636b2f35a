import { z } from 'zod'
import { BodyTooLargeError, readBody, sendJson } from '../common/http-io.js'
import { sendBasicError, sendNotFound, sendValidationError } from './error-responses.js'
import { appHookConfigSchema, type Hook } from './hooks.js'
import { isoSeconds } from './identifiers.js'
import { hookPermissionsSchema, type HookPermissions } from './options.js'
import { rateLimitHeaders, UNAUTHENTICATED_LIMIT } from './rate-limits.js'
import { requireApp } from './resolve-hook.js'
import type { GitHubHandler, GitHubRequest } from './simulator-state.js'

/** "Installation tokens expire one hour from the time you create them." */
export const INSTALLATION_TOKEN_LIFETIME_MS = 3_600_000
const JSON_BODY_LIMIT = 64 * 1024

/** `webhook-config`; the secret is masked, as GitHub masks it. */
function webhookConfig(hook: Hook): Record<string, string> {
  const config: Record<string, string> = {
    content_type: hook.config.contentType,
    insecure_ssl: hook.config.insecureSsl,
    url: hook.config.url,
  }
  if (hook.config.secret !== undefined) config.secret = '********'
  return config
}

/**
 * Reads an optional JSON object body: undefined for an empty body; GitHub's 400 texts for JSON
 * that does not parse or is not an object. Answers itself and resolves to null on a problem.
 */
async function readJsonObject(
  request: GitHubRequest,
): Promise<Record<string, unknown> | undefined | null> {
  let raw: Buffer
  try {
    raw = await readBody(request.req, JSON_BODY_LIMIT)
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error
    sendBasicError(request.res, 413, `Request body exceeds ${String(JSON_BODY_LIMIT)} bytes`)
    return null
  }
  if (raw.length === 0) return undefined
  let body: unknown
  try {
    body = JSON.parse(raw.toString('utf8'))
  } catch {
    sendBasicError(request.res, 400, 'Problems parsing JSON')
    return null
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    sendBasicError(request.res, 400, 'Body should be a JSON object')
    return null
  }
  return body as Record<string, unknown>
}

function invalid(request: GitHubRequest, error: z.ZodError): void {
  sendValidationError(
    request.res,
    'Validation Failed',
    error.issues.map((issue) => ({
      field: issue.path.join('.') || 'body',
      code: issue.code === 'unrecognized_keys' ? 'unprocessable' : 'invalid',
      message: issue.message,
    })),
  )
}

/** `GET /app/hook/config` (App JWT only). */
export const handleGetAppHookConfig: GitHubHandler = (state, request) => {
  request.req.resume()
  if (!requireApp(request)) return
  sendJson(request.res, 200, webhookConfig(state.hooks.appHook))
}

/** `PATCH /app/hook/config` (App JWT only): `{url, content_type, secret, insecure_ssl}`. */
export const handleUpdateAppHookConfig: GitHubHandler = async (state, request) => {
  if (!requireApp(request)) return void request.req.resume()
  const body = await readJsonObject(request)
  if (body === null) return
  const parsed = appHookConfigSchema.safeParse(body ?? {})
  if (!parsed.success) return invalid(request, parsed.error)
  sendJson(request.res, 200, webhookConfig(state.hooks.updateAppHook(parsed.data)))
}

const accessTokenRequestSchema = z.object({
  repositories: z
    .array(z.string().regex(/^[A-Za-z0-9._-]{1,100}$/))
    .max(500)
    .optional(),
  repository_ids: z.array(z.number().int().positive()).max(500).optional(),
  permissions: z.looseObject(hookPermissionsSchema.shape).optional(),
})

/**
 * `POST /app/installations/{id}/access_tokens` (App JWT only): 201 `{token, expires_at,
 * permissions, repository_selection}`; the token expires an hour later (401 after). Permissions
 * may be narrowed but not widened (422); `repositories` (names) narrows what the token sees.
 * `repository_ids` is not supported by the simulator (422 says so).
 */
export const handleCreateInstallationToken: GitHubHandler = async (state, request) => {
  if (!requireApp(request)) return void request.req.resume()
  const body = await readJsonObject(request)
  if (body === null) return
  if (request.route.installationId !== state.options.installationId)
    return sendNotFound(request.res)
  const parsed = accessTokenRequestSchema.safeParse(body ?? {})
  if (!parsed.success) return invalid(request, parsed.error)
  const { repositories, repository_ids: repositoryIds, permissions: asked } = parsed.data
  if (repositoryIds !== undefined) {
    return sendValidationError(request.res, 'Validation Failed', [
      {
        field: 'repository_ids',
        code: 'custom',
        message: 'the simulator accepts repositories (names) only',
      },
    ])
  }
  const granted = state.options.installationPermissions
  const permissions: HookPermissions = { ...granted }
  for (const name of ['repository_hooks', 'organization_hooks'] as const) {
    const want = asked?.[name]
    if (want === undefined) continue
    const have = granted[name]
    if (have === undefined || (want === 'write' && have !== 'write')) {
      return sendValidationError(
        request.res,
        'The permissions requested are not granted to this installation.',
        [{ resource: 'Installation', field: 'permissions', code: 'invalid' }],
      )
    }
    permissions[name] = want
  }
  // Asking for some permissions drops the ones not asked for, as GitHub's down-scoping does.
  if (asked !== undefined) {
    if (asked.repository_hooks === undefined) delete permissions.repository_hooks
    if (asked.organization_hooks === undefined) delete permissions.organization_hooks
  }
  const { token, expiresAt } = state.tokens.createInstallation(
    state.options.installationId,
    state.options.appId,
    permissions,
    repositories === undefined ? 'all' : repositories.map((name) => `*/${name}`),
    state.options.installationTokenFormat,
    INSTALLATION_TOKEN_LIFETIME_MS,
  )
  sendJson(request.res, 201, {
    token,
    expires_at: isoSeconds(expiresAt),
    permissions: { ...permissions, metadata: 'read' },
    repository_selection: repositories === undefined ? 'all' : 'selected',
  })
}

/** `GET /rate_limit`: free (it does not count), `resources.core`; `rate` only before 2026-03-10. */
export const handleGetRateLimit: GitHubHandler = (state, request) => {
  request.req.resume()
  const limit =
    request.rateLimitKey === 'anonymous' ? UNAUTHENTICATED_LIMIT : state.options.primaryRateLimit
  const s = state.primary.peek(request.rateLimitKey, limit)
  const core = {
    limit: s.limit,
    remaining: s.remaining,
    reset: s.reset,
    used: s.used,
    resource: 'core',
  }
  sendJson(
    request.res,
    200,
    request.apiVersion === '2022-11-28'
      ? { resources: { core }, rate: core }
      : { resources: { core } },
    rateLimitHeaders(s),
  )
}
