import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { hookPermissionsSchema, type HookPermissions } from './options.js'

/** What a token may see and do. */
export interface TokenGrant {
  kind: 'personal' | 'installation'
  permissions: HookPermissions
  /** `owner/repo` names (any case) it can see, or every repository. */
  repositories: 'all' | readonly string[]
  /** Organization logins it can see, or every one. */
  organizations: 'all' | readonly string[]
  /** ms since epoch; absent: never expires. */
  expiresAt?: number
  /** The user (personal) or installation the primary rate limit is counted for. */
  rateLimitKey: string
  installationId?: number
}

/** What a test gives `createToken`. */
export interface CreateTokenOptions {
  /** Default: write on both hook permissions. `{}` makes a token that sees no hook at all. */
  permissions?: HookPermissions
  /** `owner/repo` names; default all. */
  repositories?: readonly string[]
  /** Organization logins; default all. */
  organizations?: readonly string[]
  /** Lifetime; default none (a PAT without expiry). */
  expiresInMs?: number
}

const createTokenSchema = z.strictObject({
  permissions: hookPermissionsSchema.optional(),
  repositories: z.array(z.string().regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/)).optional(),
  organizations: z.array(z.string().regex(/^[A-Za-z0-9._-]+$/)).optional(),
  expiresInMs: z.number().int().min(1).optional(),
})

export const FULL_HOOK_PERMISSIONS: HookPermissions = {
  repository_hooks: 'write',
  organization_hooks: 'write',
}

/** The simulated user every personal token belongs to (they share one primary budget). */
export const SIM_USER_ID = 583_231

export type TokenLookup =
  { ok: true; grant: TokenGrant } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' }

/**
 * Personal and installation tokens. Values are opaque random strings; nothing here checks their
 * length or shape (GitHub's installation tokens are changing to a longer stateless form).
 */
export class TokenStore {
  readonly #tokens = new Map<string, TokenGrant>()
  readonly #revoked = new Set<string>()
  #installationTokens = 0

  constructor(readonly now: () => number) {}

  get installationTokensIssued(): number {
    return this.#installationTokens
  }

  createPersonal(options: CreateTokenOptions = {}): string {
    const parsed = createTokenSchema.safeParse(options)
    if (!parsed.success) throw new TypeError(`invalid token: ${z.prettifyError(parsed.error)}`)
    const o = parsed.data
    const token = `github_pat_${randomBytes(41).toString('base64url')}`
    this.#tokens.set(token, {
      kind: 'personal',
      permissions: o.permissions ?? FULL_HOOK_PERMISSIONS,
      repositories: o.repositories ?? 'all',
      organizations: o.organizations ?? 'all',
      ...(o.expiresInMs === undefined ? {} : { expiresAt: this.now() + o.expiresInMs }),
      rateLimitKey: `user:${String(SIM_USER_ID)}`,
    })
    return token
  }

  createInstallation(
    installationId: number,
    appId: number,
    permissions: HookPermissions,
    repositories: 'all' | readonly string[],
    format: 'classic' | 'stateless',
    lifetimeMs: number,
  ): { token: string; expiresAt: number } {
    const token =
      format === 'classic'
        ? `ghs_${randomBytes(27).toString('base64url')}`
        : `ghs_${String(appId)}_${randomBytes(96).toString('base64url')}`
    const expiresAt = this.now() + lifetimeMs
    this.#tokens.set(token, {
      kind: 'installation',
      permissions,
      repositories,
      organizations: 'all',
      expiresAt,
      rateLimitKey: `installation:${String(installationId)}`,
      installationId,
    })
    this.#installationTokens++
    return { token, expiresAt }
  }

  lookup(token: string): TokenLookup {
    if (this.#revoked.has(token)) return { ok: false, reason: 'revoked' }
    const grant = this.#tokens.get(token)
    if (grant === undefined) return { ok: false, reason: 'unknown' }
    if (grant.expiresAt !== undefined && this.now() >= grant.expiresAt) {
      return { ok: false, reason: 'expired' }
    }
    return { ok: true, grant }
  }

  revoke(token: string): void {
    if (this.#tokens.delete(token)) this.#revoked.add(token)
  }
}
