import type { ServerResponse } from 'node:http'
import { decodeProtectedHeader, errors, jwtVerify } from 'jose'
import { sendText } from '../common/index.js'
import type { ApiKeyRegistry } from './api-keys.js'
import { newAppleRequestId } from './identifiers.js'

export const APPLE_AUDIENCE = 'appstoreconnect-v1'
/** Apple refuses tokens that live longer than an hour. */
const MAX_LIFETIME_S = 3600
/** Clock skew tolerated on `iat`, so a client whose clock runs a little fast still gets in. */
const IAT_SKEW_S = 60

export type AuthResult =
  { ok: true; issuerId: string; keyId: string } | { ok: false; reason: string }

export interface JwtCheckContext {
  keys: ApiKeyRegistry
  bundleId: string
  now: number
}

/**
 * Checks an `Authorization` header the way the App Store Server API does: ES256, `typ: JWT`, a
 * registered `kid`, its issuer, the audience, the bundle id, `iat` not in the future and `exp` in
 * the future but at most an hour after `iat`. The reason is for inspection only: Apple's 401 says
 * nothing more than "Unauthenticated".
 */
export async function authenticate(
  authorization: string | undefined,
  { keys, bundleId, now }: JwtCheckContext,
): Promise<AuthResult> {
  const match = /^Bearer +([^\s]+)$/i.exec(authorization ?? '')
  const token = match?.[1]
  if (token === undefined) return { ok: false, reason: 'no Bearer token' }

  let header: ReturnType<typeof decodeProtectedHeader>
  try {
    header = decodeProtectedHeader(token)
  } catch {
    return { ok: false, reason: 'token is not a JWS' }
  }
  if (header.alg !== 'ES256') return { ok: false, reason: `alg ${String(header.alg)} is not ES256` }
  if (header.typ !== 'JWT') return { ok: false, reason: `typ ${String(header.typ)} is not JWT` }
  if (typeof header.kid !== 'string') return { ok: false, reason: 'no kid' }
  const key = keys.get(header.kid)
  if (key === undefined) return { ok: false, reason: `unknown kid ${header.kid}` }

  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload']
  try {
    ;({ payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ['ES256'],
      issuer: key.issuerId,
      audience: APPLE_AUDIENCE,
      requiredClaims: ['iss', 'aud', 'iat', 'exp', 'bid'],
      currentDate: new Date(now),
    }))
  } catch (error) {
    const reason = error instanceof errors.JOSEError ? error.message : 'verification failed'
    return { ok: false, reason }
  }

  const nowS = now / 1000
  const { iat, exp, bid } = payload
  if (typeof iat !== 'number' || typeof exp !== 'number') {
    return { ok: false, reason: 'iat and exp must be numbers' }
  }
  if (iat > nowS + IAT_SKEW_S) return { ok: false, reason: 'iat is in the future' }
  if (exp - iat > MAX_LIFETIME_S)
    return { ok: false, reason: 'exp is more than 60 minutes after iat' }
  if (bid !== bundleId)
    return { ok: false, reason: `bid ${JSON.stringify(bid)} is not ${bundleId}` }
  return { ok: true, issuerId: key.issuerId, keyId: header.kid }
}

/** Apple's 401 is plain text, not JSON; clients must not expect an error code. */
export function sendUnauthenticated(res: ServerResponse): void {
  sendText(res, 401, `Unauthenticated\n\nRequest ID: ${newAppleRequestId()}`)
}
