import type { AppIdentity } from './app-jwt.js'
import { checkAppJwt, looksLikeJwt } from './app-jwt.js'
import type { TokenGrant, TokenStore } from './tokens.js'

/** Who a request is from. */
export type Principal =
  { kind: 'token'; grant: TokenGrant } | { kind: 'app' } | { kind: 'anonymous' }

export type Authentication =
  | { ok: true; principal: Principal }
  /** `message` is GitHub's 401 text; `reason` (inspection only) says what exactly was wrong. */
  | { ok: false; message: string; reason: string }

/** GitHub's 401 texts. "Bad credentials" is the widely seen one; the JWT texts are picks. */
export const BAD_CREDENTIALS = 'Bad credentials'
export const REQUIRES_AUTHENTICATION = 'Requires authentication'
export const JWT_NOT_DECODED = 'A JSON web token could not be decoded'

const AUTHORIZATION = /^(Bearer|token) +([^\s]{1,8192})$/i

/**
 * Reads `Authorization: Bearer <credential>` (or `token <credential>`, which GitHub accepts for
 * tokens but not for JWTs). A credential the token store knows is a token; anything else shaped
 * like a JWS is checked as the App's JWT. No header at all is an anonymous caller: each endpoint
 * decides what that gets.
 */
export async function authenticate(
  authorization: string | undefined,
  context: { tokens: TokenStore; app: AppIdentity; now: number },
): Promise<Authentication> {
  if (authorization === undefined || authorization.trim() === '') {
    return { ok: true, principal: { kind: 'anonymous' } }
  }
  const match = AUTHORIZATION.exec(authorization.trim())
  const scheme = match?.[1]?.toLowerCase()
  const credential = match?.[2]
  if (scheme === undefined || credential === undefined) {
    return {
      ok: false,
      message: BAD_CREDENTIALS,
      reason: 'Authorization is not "Bearer <credential>"',
    }
  }
  const lookup = context.tokens.lookup(credential)
  if (lookup.ok) return { ok: true, principal: { kind: 'token', grant: lookup.grant } }
  if (lookup.reason !== 'unknown') {
    return { ok: false, message: BAD_CREDENTIALS, reason: `token ${lookup.reason}` }
  }
  if (!looksLikeJwt(credential)) {
    return { ok: false, message: BAD_CREDENTIALS, reason: 'unknown token' }
  }
  if (scheme !== 'bearer') {
    return { ok: false, message: JWT_NOT_DECODED, reason: 'a JWT must be sent as Bearer' }
  }
  const check = await checkAppJwt(credential, context.app, context.now)
  if (!check.ok) return { ok: false, message: jwtMessage(check.reason), reason: check.reason }
  return { ok: true, principal: { kind: 'app' } }
}

function jwtMessage(reason: string): string {
  if (reason === 'exp is too far in the future' || reason === 'exp - iat exceeds 10 minutes') {
    return "'Expiration time' claim ('exp') is too far in the future"
  }
  if (reason === 'iat is in the future') {
    return "'Issued at' claim ('iat') must be an Integer representing a time in the past"
  }
  if (reason.includes('"exp" claim timestamp check failed')) {
    return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
  }
  return JWT_NOT_DECODED
}

/** The primary-limit budget a principal draws from. */
export function rateLimitKey(principal: Principal | undefined, appId: number): string {
  if (principal?.kind === 'token') return principal.grant.rateLimitKey
  if (principal?.kind === 'app') return `app:${String(appId)}`
  return 'anonymous'
}

/** How the primary-limit message names the principal. */
export function rateLimitSubject(principal: Principal | undefined, appId: number): string {
  if (principal?.kind === 'token') {
    return principal.grant.kind === 'installation'
      ? `installation ID ${String(principal.grant.installationId)}`
      : 'user ID 583231'
  }
  if (principal?.kind === 'app') return `integration ID ${String(appId)}`
  return '127.0.0.1'
}
