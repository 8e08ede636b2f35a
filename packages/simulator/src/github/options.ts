import { serverTlsSchema, type ServerTls } from '../common/loopback-tls.js'
import { z } from 'zod'

/** A hook's permission level on a token, as GitHub's `app-permissions` enum spells it. */
export type HookPermissionLevel = 'read' | 'write'

/** The two permissions the webhook endpoints check (fine-grained PATs and installation tokens alike). */
export interface HookPermissions {
  /** Repository "Webhooks": read for ping, tests and deliveries; write for redelivery. */
  repository_hooks?: HookPermissionLevel
  /** Organization "Webhooks": the same split, by analogy with repositories (unconfirmed). */
  organization_hooks?: HookPermissionLevel
}

export interface GitHubSimulatorOptions {
  /** 0 (default) picks a free port; the simulator always binds 127.0.0.1. */
  port?: number
  /** Serve HTTPS with this certificate and key (`createLoopbackTls()`); plain HTTP otherwise. */
  tls?: ServerTls | undefined
  /** A path every REST route sits under, e.g. `/api/v3` to look like GitHub Enterprise Server. */
  pathPrefix?: string
  /** The GitHub App's id; default 1_000_001. */
  appId?: number
  /** The App's client id; default generated (`Iv23...`). */
  clientId?: string
  /** The App's installation; default 50_000_001. */
  installationId?: number
  /** What the installation may do; default write on both hook permissions. */
  installationPermissions?: HookPermissions
  /** `classic` (default): `ghs_` + 36 characters; `stateless`: the longer `ghs_APPID_JWT` form. */
  installationTokenFormat?: 'classic' | 'stateless'
  /** Time between a ping/test/redelivery request and its POST; default 0. */
  deliveryDelayMs?: number
  /** Time between a finished POST and its entry showing in the deliveries log; default 0. */
  logDelayMs?: number
  /** The receiver must answer within this; default 10 000 (GitHub.com; GHES waits 30 s). */
  deliveryTimeoutMs?: number
  /** Days a delivery stays listed and redeliverable; default 3 (GitHub.com; GHES keeps 7). */
  retentionDays?: number
  /** 'vendor' (default) enforces the primary and secondary limits; 'off' turns them off. */
  rateLimits?: 'vendor' | 'off'
  /** Requests per hour per user, installation or App; default 5 000. */
  primaryRateLimit?: number
  /** Status of a primary or secondary rate-limit refusal; default 403 (GitHub sends 403 or 429). */
  rateLimitStatus?: 403 | 429
  /** Secondary limit: points per minute per endpoint (GET 1, POST/PATCH 5); default 900. */
  secondaryPointsPerMinute?: number
  /** `Retry-After` seconds on a `rateLimit` fault's secondary-limit answer; null sends none. Default 60. */
  secondaryRetryAfterSeconds?: number | null
  /** Status for a token that sees a hook but lacks write for redelivery; default 403. */
  missingWriteStatus?: 403 | 404
  /** Status for redelivering a delivery past retention (or unknown); default 404. */
  expiredRedeliveryStatus?: 404 | 422
  /** `status_code` recorded for connection-level failures (refused, DNS, TLS, reset); default 502. */
  connectionFailureStatusCode?: number
  /** `status_code` recorded when the receiver does not answer in time; default 504. */
  timeoutStatusCode?: number
  /** Clock, ms since the epoch; default `Date.now`. */
  now?: () => number
  /** Randomness in [0, 1) for GUIDs, ids and fault probability; default `Math.random`. */
  random?: () => number
}

const fn = <T>() => z.custom<T>((value) => typeof value === 'function', 'must be a function')
const level = z.enum(['read', 'write'])
export const hookPermissionsSchema = z.strictObject({
  repository_hooks: level.optional(),
  organization_hooks: level.optional(),
})

/** Module-level so it is built once. Unknown keys are an error, as everywhere in notiprobe. */
const optionsSchema = z.strictObject({
  port: z.number().int().min(0).max(65_535).optional(),
  tls: serverTlsSchema.optional(),
  pathPrefix: z
    .string()
    .regex(/^(\/[A-Za-z0-9._-]+)+$/, 'pathPrefix must look like /api/v3 (no trailing slash)')
    .optional(),
  appId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  clientId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .optional(),
  installationId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  installationPermissions: hookPermissionsSchema.optional(),
  installationTokenFormat: z.enum(['classic', 'stateless']).optional(),
  deliveryDelayMs: z.number().int().min(0).max(3_600_000).optional(),
  logDelayMs: z.number().int().min(0).max(3_600_000).optional(),
  deliveryTimeoutMs: z.number().int().min(1).max(120_000).optional(),
  retentionDays: z.number().int().min(1).max(90).optional(),
  rateLimits: z.enum(['vendor', 'off']).optional(),
  primaryRateLimit: z.number().int().min(1).max(1_000_000).optional(),
  rateLimitStatus: z.union([z.literal(403), z.literal(429)]).optional(),
  secondaryPointsPerMinute: z.number().int().min(1).max(1_000_000).optional(),
  secondaryRetryAfterSeconds: z.number().int().min(0).max(86_400).nullable().optional(),
  missingWriteStatus: z.union([z.literal(403), z.literal(404)]).optional(),
  expiredRedeliveryStatus: z.union([z.literal(404), z.literal(422)]).optional(),
  connectionFailureStatusCode: z.number().int().min(0).max(599).optional(),
  timeoutStatusCode: z.number().int().min(0).max(599).optional(),
  now: fn<() => number>().optional(),
  random: fn<() => number>().optional(),
})

export interface ResolvedGitHubOptions {
  port: number
  tls: ServerTls | undefined
  pathPrefix: string
  appId: number
  clientId: string | undefined
  installationId: number
  installationPermissions: HookPermissions
  installationTokenFormat: 'classic' | 'stateless'
  deliveryDelayMs: number
  logDelayMs: number
  deliveryTimeoutMs: number
  retentionMs: number
  rateLimits: 'vendor' | 'off'
  primaryRateLimit: number
  rateLimitStatus: 403 | 429
  secondaryPointsPerMinute: number
  secondaryRetryAfterSeconds: number | null
  missingWriteStatus: 403 | 404
  expiredRedeliveryStatus: 404 | 422
  connectionFailureStatusCode: number
  timeoutStatusCode: number
  now: () => number
  random: () => number
}

const DAY_MS = 86_400_000

/** Validates the options and fills in defaults; throws a TypeError naming the bad option. */
export function resolveGitHubOptions(options: GitHubSimulatorOptions = {}): ResolvedGitHubOptions {
  const parsed = optionsSchema.safeParse(options)
  if (!parsed.success) {
    throw new TypeError(`invalid GitHub simulator options: ${z.prettifyError(parsed.error)}`)
  }
  const o = parsed.data
  return {
    port: o.port ?? 0,
    tls: o.tls,
    pathPrefix: o.pathPrefix ?? '',
    appId: o.appId ?? 1_000_001,
    clientId: o.clientId,
    installationId: o.installationId ?? 50_000_001,
    installationPermissions: o.installationPermissions ?? {
      repository_hooks: 'write',
      organization_hooks: 'write',
    },
    installationTokenFormat: o.installationTokenFormat ?? 'classic',
    deliveryDelayMs: o.deliveryDelayMs ?? 0,
    logDelayMs: o.logDelayMs ?? 0,
    deliveryTimeoutMs: o.deliveryTimeoutMs ?? 10_000,
    retentionMs: (o.retentionDays ?? 3) * DAY_MS,
    rateLimits: o.rateLimits ?? 'vendor',
    primaryRateLimit: o.primaryRateLimit ?? 5_000,
    rateLimitStatus: o.rateLimitStatus ?? 403,
    secondaryPointsPerMinute: o.secondaryPointsPerMinute ?? 900,
    secondaryRetryAfterSeconds:
      o.secondaryRetryAfterSeconds === undefined ? 60 : o.secondaryRetryAfterSeconds,
    missingWriteStatus: o.missingWriteStatus ?? 403,
    expiredRedeliveryStatus: o.expiredRedeliveryStatus ?? 404,
    connectionFailureStatusCode: o.connectionFailureStatusCode ?? 502,
    timeoutStatusCode: o.timeoutStatusCode ?? 504,
    now: o.now ?? Date.now,
    random: o.random ?? Math.random,
  }
}
