import { z } from '@notiprobe/core/zod'
import { NotificationTestError, type ErrorKind } from '@notiprobe/core'
import { failedMessage, kindForHttpStatus, parseRetryAfter } from '@notiprobe/core/adapter'
import { GITHUB_API_VERSIONS, VENDOR, operationNamed } from './constants.js'
import { parseExactJson } from './exact-json.js'
import { acceptedPermissions, neededPermission } from './permissions.js'
import { basicErrorSchema, validationErrorSchema } from './responses.js'
import type { ResolvedTarget } from './target.js'
import { vendorText } from './vendor-text.js'

export interface GitHubErrorResponse {
  readonly status: number
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
  readonly operation: string
  /** Epoch milliseconds, for turning `x-ratelimit-reset` into a wait. */
  readonly now: number
  /** The hook's kind, to name the permission a 403 or 404 is missing. */
  readonly targetType?: ResolvedTarget['type'] | undefined
  /** The kind of credential the call carried, to shape the 401 advice. */
  readonly authType?: 'token' | 'app' | undefined
}

/** GitHub's documented minimum wait after a secondary rate limit that gives no other hint. */
export const SECONDARY_RATE_LIMIT_FLOOR_MS = 60_000
/** Octokit waits one second past `x-ratelimit-reset`, against clock skew; so does notiprobe. */
export const RATE_LIMIT_RESET_MARGIN_MS = 1_000

/** `vendorCode` of rate-limit errors: GitHub has no code of its own for them. */
export const RATE_LIMIT_CODES = {
  primary: 'primary_rate_limit',
  secondary: 'secondary_rate_limit',
} as const

/** Error bodies are a few hundred bytes; a larger one is shown as an excerpt, not parsed. */
const MAX_ERROR_BODY_LENGTH = 1024 * 1024

const SECONDARY = /\bsecondary rate\b|\babuse detection\b/i
const NOT_ACCESSIBLE = /Resource not accessible by/i
const API_VERSION = /X-GitHub-Api-Version/i

/**
 * The one place a GitHub error answer becomes a NotificationTestError: the status, GitHub's
 * `message`, the rate-limit headers and `X-Accepted-GitHub-Permissions`, through one table of
 * cases. `retryable` is true only where GitHub says to try again (rate limits); the transport
 * decides the rest by the call's kind. Pure: time comes in as `now`.
 */
export function mapGitHubError(response: GitHubErrorResponse): NotificationTestError {
  const { status, headers, operation } = response
  const label = operationNamed(operation)
  const body = readBody(response.body)
  const base = {
    vendor: VENDOR,
    operation,
    httpStatus: status,
    vendorMessage: body.message,
    requestId: requestIdOf(headers['x-github-request-id']),
  }
  const said = body.message === undefined ? '' : ` GitHub says: "${body.message}".`
  const make = (
    kind: ErrorKind,
    message: string,
    extra: { retryable?: boolean; retryAfterMs?: number; vendorCode?: string } = {},
  ): NotificationTestError => new NotificationTestError({ ...base, ...extra, kind, message })

  const limit = rateLimit(response, body.message)
  if (limit !== undefined) {
    const seconds = Math.ceil(limit.waitMs / 1000)
    return make(
      'rate_limited',
      failedMessage(
        label,
        `GitHub's ${limit.which} rate limit was hit (HTTP ${status}); wait ${seconds} s before trying again. Continuing to call while limited can get the integration banned.${said}`,
      ),
      { retryable: true, retryAfterMs: limit.waitMs, vendorCode: RATE_LIMIT_CODES[limit.which] },
    )
  }
  const permission = neededPermission(operation, response.targetType)
  const needs = permission === undefined ? '' : ` It needs ${permission}.`
  if (status === 401) {
    const advice =
      response.authType === 'app'
        ? "Check that clientId or appId belongs to the private key's App, that the installation id is right, and this machine's clock (App JWTs are valid for 10 minutes)."
        : 'Check that the token is right and has not expired or been revoked (installation tokens last one hour).'
    return make(
      'auth',
      failedMessage(label, `GitHub refused the credentials (HTTP 401). ${advice}${said}`),
    )
  }
  if (status === 404) {
    return make(
      'not_found',
      failedMessage(
        label,
        `not found, or your token cannot see it (GitHub answers 404 rather than 403 for what a token may not see).${needs}${said}`,
      ),
    )
  }
  if (status === 403 && body.message !== undefined && NOT_ACCESSIBLE.test(body.message)) {
    const accepted = acceptedPermissions(headers['x-accepted-github-permissions'])
    const wants = accepted === undefined ? needs : ` GitHub asks for ${accepted}.`
    return make(
      'forbidden',
      failedMessage(label, `the token lacks a permission (HTTP 403).${wants}${said}`),
    )
  }
  if (status === 400 && body.message !== undefined && API_VERSION.test(body.message)) {
    return make(
      'config',
      failedMessage(
        label,
        `this GitHub does not support the API version sent (HTTP 400). notiprobe speaks ${GITHUB_API_VERSIONS.join(' and ')}; GitHub Enterprise Server may lack the newer one, so set apiVersion to 2022-11-28 there.${said}`,
      ),
    )
  }
  if (status === 422) {
    return make(
      'invalid_input',
      failedMessage(
        label,
        `GitHub refused the request as invalid (HTTP 422).${said}${body.errors === undefined ? '' : ` Errors: ${body.errors}.`}`,
      ),
      body.errorCode === undefined ? {} : { vendorCode: body.errorCode },
    )
  }
  if (status >= 500) {
    return make(
      'vendor_error',
      failedMessage(
        label,
        `GitHub answered HTTP ${status}, an error on its side (it ends API requests that take over 10 s); try again later.${said}`,
      ),
    )
  }
  return make(
    kindForHttpStatus(status),
    failedMessage(label, `GitHub answered HTTP ${status}.${needs}${said}`),
  )
}

interface ErrorBody {
  readonly message: string | undefined
  readonly errorCode: string | undefined
  readonly errors: string | undefined
}

/** GitHub's `{message, errors?}`, or an excerpt of whatever else came (a proxy's HTML page). */
function readBody(text: string): ErrorBody {
  let json: unknown
  try {
    if (text.length > MAX_ERROR_BODY_LENGTH) throw new RangeError('too large to parse')
    json = parseExactJson(text)
  } catch {
    return { message: vendorText(text), errorCode: undefined, errors: undefined }
  }
  const validation = z.safeParse(validationErrorSchema, json)
  if (validation.success) {
    const errors = validation.data.errors ?? []
    const described = errors
      .slice(0, 5)
      .map((error) =>
        typeof error === 'string'
          ? error
          : [error.resource, error.field, error.code, error.message]
              .filter((part) => part !== undefined)
              .join(' '),
      )
      .join('; ')
    const first = errors.find((error) => typeof error !== 'string')
    return {
      message: vendorText(validation.data.message),
      errorCode: typeof first === 'object' ? vendorText(first.code, 64) : undefined,
      errors: described === '' ? undefined : vendorText(described),
    }
  }
  const basic = z.safeParse(basicErrorSchema, json)
  return {
    message: vendorText(basic.success ? basic.data.message : text),
    errorCode: undefined,
    errors: undefined,
  }
}

interface RateLimitHit {
  readonly which: 'primary' | 'secondary'
  readonly waitMs: number
}

/**
 * GitHub's rules, in its order: 403 or 429 whose message names the secondary limit → wait
 * `retry-after` seconds, else until `x-ratelimit-reset` if nothing remains, else at least a
 * minute; 403 or 429 with `x-ratelimit-remaining: 0` → the primary limit, until
 * `x-ratelimit-reset` (+1 s). A 429, or a 403 with `retry-after`, that says neither is taken as
 * the secondary limit: both only ever mean "slow down".
 */
function rateLimit(
  response: GitHubErrorResponse,
  message: string | undefined,
): RateLimitHit | undefined {
  const { status, headers, now } = response
  if (status !== 403 && status !== 429) return undefined
  const exhausted = headers['x-ratelimit-remaining']?.trim() === '0'
  const retryAfter = parseRetryAfter(headers['retry-after'], now)
  const untilReset = exhausted ? resetWait(headers['x-ratelimit-reset'], now) : undefined
  const namesSecondary = message !== undefined && SECONDARY.test(message)
  if (namesSecondary || (!exhausted && (status === 429 || retryAfter !== undefined))) {
    return {
      which: 'secondary',
      waitMs: retryAfter ?? untilReset ?? SECONDARY_RATE_LIMIT_FLOOR_MS,
    }
  }
  if (exhausted) {
    return { which: 'primary', waitMs: untilReset ?? retryAfter ?? SECONDARY_RATE_LIMIT_FLOOR_MS }
  }
  return undefined
}

/** Milliseconds until `x-ratelimit-reset` (UTC epoch seconds) plus the margin. */
function resetWait(header: string | undefined, now: number): number | undefined {
  const value = header?.trim()
  if (value === undefined || !/^\d{1,12}$/.test(value)) return undefined
  return Math.max(0, Number(value) * 1000 - now) + RATE_LIMIT_RESET_MARGIN_MS
}

/** `X-GitHub-Request-Id`, e.g. `CDE6:2B0F:1A2B3C:1B2C3D:65A1B2C3`; anything else is dropped. */
function requestIdOf(header: string | undefined): string | undefined {
  const value = header?.trim()
  return value !== undefined && /^[A-Za-z0-9:._-]{1,100}$/.test(value) ? value : undefined
}
