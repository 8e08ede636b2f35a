import type { KeyObject } from 'node:crypto'
import type { Clock } from '@notiprobe/core'
import { SignJWT } from 'jose/jwt/sign'

export const APPLE_JWT_AUDIENCE = 'appstoreconnect-v1'
/** Official SDKs use 5 minutes; Apple accepts up to 60. */
export const APPLE_JWT_LIFETIME_SECONDS = 300

export interface AppleJwtSettings {
  readonly issuerId: string
  readonly keyId: string
  readonly bundleId: string
  readonly privateKey: KeyObject
  readonly clock: Clock
}

/**
 * Returns a function that signs a fresh App Store Server API token each time it is called; the
 * transport calls it for every attempt, so a retry never reuses an old token.
 */
export function createAppleJwtSigner(settings: AppleJwtSettings): () => Promise<string> {
  const { issuerId, keyId, bundleId, privateKey, clock } = settings
  return async () => {
    const iat = Math.floor(clock.now() / 1000)
    return new SignJWT({ bid: bundleId })
      .setProtectedHeader({ alg: 'ES256', kid: keyId, typ: 'JWT' })
      .setIssuer(issuerId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + APPLE_JWT_LIFETIME_SECONDS)
      .setAudience(APPLE_JWT_AUDIENCE)
      .sign(privateKey)
  }
}
