import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { compactVerify, SignJWT } from 'jose'
import { SCOPE_ALL } from './options.js'

/** What the simulator remembers about one access token it issued. */
export interface IssuedToken {
  jti: string
  clientId: string
  scopes: readonly string[]
  identityId: string
  issuedAtMs: number
  expiresAtMs: number
}

export type TokenCheck = { ok: true; token: IssuedToken } | { ok: false; error: string }

export interface TokenIdentity {
  tenant: string
  tenantId: string
  pod: string
}

/** Hex digest, cut to `length`; gives stable ids derived from names. */
export function stableHex(input: string, length = 32): string {
  return createHash('sha256').update(input).digest('hex').slice(0, length)
}

/**
 * Issues and checks access tokens. Tokens are HS256 JWTs with SailPoint-like claims (so a client
 * that peeks at `exp` sees the truth), signed with a key made per simulator. Expiry is decided by
 * the injected clock to the millisecond, not by the JWT's whole-second `exp`. An expired token is
 * forgotten when the next one is issued, so a long-running simulator holds only the live ones.
 */
export class TokenStore {
  readonly #key = randomBytes(32)
  readonly #tokens = new Map<string, IssuedToken>()
  readonly #revoked = new Set<string>()
  readonly #now: () => number
  readonly #lifetimeMs: number
  readonly #identity: TokenIdentity
  #issued = 0

  constructor(options: { now: () => number; lifetimeSeconds: number; identity: TokenIdentity }) {
    this.#now = options.now
    this.#lifetimeMs = options.lifetimeSeconds * 1000
    this.#identity = options.identity
  }

  get issued(): number {
    return this.#issued
  }

  /** Tokens still remembered: the live ones, and the expired ones not yet forgotten. */
  get remembered(): number {
    return this.#tokens.size
  }

  async issue(
    clientId: string,
    scopes: readonly string[],
  ): Promise<{ jwt: string; token: IssuedToken }> {
    const issuedAtMs = this.#now()
    this.#forgetExpired(issuedAtMs)
    const token: IssuedToken = {
      jti: randomUUID(),
      clientId,
      scopes,
      identityId: stableHex(`identity:${clientId}`),
      issuedAtMs,
      expiresAtMs: issuedAtMs + this.#lifetimeMs,
    }
    const jwt = await new SignJWT({
      tenant_id: this.#identity.tenantId,
      pod: this.#identity.pod,
      org: this.#identity.tenant,
      identity_id: token.identityId,
      user_name: clientId,
      strong_auth: false,
      authorities: scopes.includes(SCOPE_ALL) ? ['ORG_ADMIN'] : ['USER'],
      client_id: clientId,
      scope: [...scopes],
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setJti(token.jti)
      .setIssuedAt(Math.floor(issuedAtMs / 1000))
      .setExpirationTime(Math.floor(token.expiresAtMs / 1000))
      .sign(this.#key)
    this.#tokens.set(token.jti, token)
    this.#issued += 1
    return { jwt, token }
  }

  /** Checks a bearer token; the error text is what SailPoint puts in its 401 `{error}`. */
  async check(jwt: string): Promise<TokenCheck> {
    let payload: Uint8Array
    try {
      ;({ payload } = await compactVerify(jwt, this.#key, { algorithms: ['HS256'] }))
    } catch (error) {
      const signature =
        error instanceof Error &&
        'code' in error &&
        error.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
      return {
        ok: false,
        error: signature
          ? 'JWT validation failed: JWT signature is invalid'
          : 'JWT validation failed: JWT is malformed',
      }
    }
    let jti: unknown
    try {
      jti = (JSON.parse(new TextDecoder().decode(payload)) as { jti?: unknown }).jti
    } catch {
      return { ok: false, error: 'JWT validation failed: JWT is malformed' }
    }
    if (typeof jti !== 'string')
      return { ok: false, error: 'JWT validation failed: JWT is not recognised' }
    const token = this.#tokens.get(jti)
    // Only this simulator holds the key, so a well-signed token it no longer remembers is one it
    // forgot after it expired.
    if (token === undefined || this.#now() >= token.expiresAtMs) {
      return { ok: false, error: 'JWT validation failed: JWT is expired' }
    }
    if (this.#revoked.has(token.jti)) {
      return { ok: false, error: 'JWT validation failed: JWT has been revoked' }
    }
    return { ok: true, token }
  }

  /**
   * Forgets the tokens expired at `nowMs`, oldest first, stopping at the first live one: every
   * token has the same lifetime, so they expire in the order they were issued (a clock set back
   * only delays the forgetting).
   */
  #forgetExpired(nowMs: number): void {
    for (const [jti, token] of this.#tokens) {
      if (nowMs < token.expiresAtMs) return
      this.#tokens.delete(jti)
      this.#revoked.delete(jti)
    }
  }

  /** Revokes every token issued so far; new ones can still be fetched. */
  revokeAll(): void {
    for (const jti of this.#tokens.keys()) this.#revoked.add(jti)
  }
}
