import type { KeyObject } from 'node:crypto'
import { decodeProtectedHeader, errors, jwtVerify } from 'jose'

/** GitHub: `exp` "no more than 10 minutes into the future". */
const MAX_LIFETIME_S = 600
/** Clock drift tolerated (GitHub recommends `iat` 60 s in the past, for the same reason). */
const SKEW_S = 60

export type AppJwtCheck = { ok: true } | { ok: false; reason: string }

export interface AppIdentity {
  appId: number
  clientId: string
  publicKey: KeyObject
}

/** A compact JWS, by shape: three base64url parts. Installation tokens are not (nor their JWT tail). */
export function looksLikeJwt(credential: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(credential)
}

/**
 * Checks a GitHub App JWT independently of any client: RS256 only, signed by the App's key,
 * `iss` the client id or the app id (string or number), `iat` and `exp` numbers with `iat` not
 * in the future and `exp` in the future, at most 10 minutes (plus skew) after `iat` and after now.
 * The reason is for inspection; GitHub's 401 message is in `app-jwt-errors` of the error writer.
 */
export async function checkAppJwt(
  jwt: string,
  app: AppIdentity,
  nowMs: number,
): Promise<AppJwtCheck> {
  let alg: unknown
  try {
    alg = decodeProtectedHeader(jwt).alg
  } catch {
    return { ok: false, reason: 'not a JWS' }
  }
  if (alg !== 'RS256') return { ok: false, reason: `alg ${String(alg)} is not RS256` }
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload']
  try {
    ;({ payload } = await jwtVerify(jwt, app.publicKey, {
      algorithms: ['RS256'],
      // No tolerance on `exp`: an expired JWT is refused the second it expires.
      currentDate: new Date(nowMs),
    }))
  } catch (error) {
    return {
      ok: false,
      reason: error instanceof errors.JOSEError ? error.message : 'verification failed',
    }
  }
  const nowS = nowMs / 1000
  const { iat, exp, iss } = payload as { iat?: unknown; exp?: unknown; iss?: unknown }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return { ok: false, reason: 'iat missing' }
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { ok: false, reason: 'exp missing' }
  if (iat > nowS + SKEW_S) return { ok: false, reason: 'iat is in the future' }
  if (exp > nowS + MAX_LIFETIME_S + SKEW_S)
    return { ok: false, reason: 'exp is too far in the future' }
  if (exp - iat > MAX_LIFETIME_S + SKEW_S)
    return { ok: false, reason: 'exp - iat exceeds 10 minutes' }
  const issuer = typeof iss === 'number' ? String(iss) : iss
  if (issuer !== String(app.appId) && issuer !== app.clientId) {
    return { ok: false, reason: 'iss is neither the app id nor the client id' }
  }
  return { ok: true }
}
