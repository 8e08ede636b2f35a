import type { KeyObject } from 'node:crypto'
import { NotificationTestError } from '@notiprobe/core'
import { type Clock } from '@notiprobe/core/adapter'
import { SignJWT } from 'jose/jwt/sign'
import { OPERATIONS, VENDOR } from './constants.js'

/** GitHub's advice: `iat` 60 s in the past, against clock drift. */
export const APP_JWT_BACKDATE_SECONDS = 60
/** GitHub's cap: `exp` no more than 10 minutes ahead. Also keeps `exp - iat` at exactly 10 min. */
export const APP_JWT_LIFETIME_SECONDS = 540
/** A cached JWT is replaced once it has less than this left, so no request carries a dying one. */
export const APP_JWT_RENEW_BEFORE_SECONDS = 60

export interface AppJwtSettings {
  /** The client id (recommended) or the app id, as `iss`. */
  readonly issuer: string
  readonly privateKey: KeyObject
  readonly clock: Clock
}

/** Signs GitHub App JWTs, reusing one until it nears expiry; one signing at a time. */
export interface AppJwtSource {
  /** A JWT valid for at least `APP_JWT_RENEW_BEFORE_SECONDS` more seconds. */
  get(): Promise<string>
  /** Forgets the cached JWT, e.g. after GitHub answered 401 to it. */
  reset(): void
}

/**
 * The RS256 JWT a GitHub App authenticates with, for `/app/hook/*` and for creating installation
 * tokens. JWT-shaped text is always redacted by core, so the JWTs are not registered one by one.
 */
export function createAppJwtSource(settings: AppJwtSettings): AppJwtSource {
  const { issuer, privateKey, clock } = settings
  let cached: { readonly jwt: string; readonly exp: number } | undefined
  let signing: Promise<string> | undefined

  const sign = async (): Promise<string> => {
    const now = Math.floor(clock.now() / 1000)
    const iat = now - APP_JWT_BACKDATE_SECONDS
    const exp = now + APP_JWT_LIFETIME_SECONDS
    try {
      const jwt = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .setIssuer(issuer)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(privateKey)
      cached = { jwt, exp }
      return jwt
    } catch (error) {
      throw new NotificationTestError({
        vendor: VENDOR,
        operation: OPERATIONS.signAppJwt,
        kind: 'config',
        message: 'Could not sign the GitHub App JWT with the private key given (RS256).',
        cause: error,
      })
    }
  }

  return {
    get: () => {
      const now = Math.floor(clock.now() / 1000)
      if (cached !== undefined && cached.exp - now > APP_JWT_RENEW_BEFORE_SECONDS) {
        return Promise.resolve(cached.jwt)
      }
      signing ??= sign().finally(() => {
        signing = undefined
      })
      return signing
    },
    reset: () => {
      cached = undefined
    },
  }
}
