import { serverTlsSchema, type ServerTls } from '../common/loopback-tls.js'
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { SAILPOINT_API_VERSIONS, type SailPointApiVersion } from './routes.js'
import type { RateLimitCounting } from './gateway-rate-limit.js'
import {
  customizedTemplateSchema,
  templateSchema,
  type CustomizedTemplate,
  type SailPointTemplate,
} from './template-catalogue.js'

/** Scope an ORG_ADMIN client holds; enough for every endpoint on every version. */
export const SCOPE_ALL = 'sp:scopes:all'
/** Scope a non-admin personal access token holds by default. */
export const SCOPE_DEFAULT = 'sp:scopes:default'

/** An OAuth client the token endpoint accepts. */
export interface SailPointClient {
  clientId: string
  clientSecret: string
  /** Granted scopes; default `['sp:scopes:all']` (an ORG_ADMIN). */
  scopes?: readonly string[]
}

export interface SailPointSimulatorOptions {
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number
  /** Serve HTTPS with this certificate and key (`createLoopbackTls()`); plain HTTP otherwise. */
  tls?: ServerTls | undefined
  /** Tenant name, reported in tokens as `org`; default `'sim-tenant'`. */
  tenant?: string
  /** The main client's id and secret; generated when absent. */
  clientId?: string
  clientSecret?: string
  /** More clients, e.g. a non-admin one with `scopes: ['sp:scopes:default']`. */
  clients?: readonly SailPointClient[]
  /** Seconds an access token lives; default 749, as SailPoint's. */
  tokenLifetimeSeconds?: number
  /** `'vendor'` (default) enforces 100 requests per 10 s; `'off'` turns that off. */
  rateLimits?: 'vendor' | 'off'
  /**
   * What the 100 requests are counted per: `'token'` (default, SailPoint's documentation until
   * 2026-03) or `'clientId'` (its 2026-03 documentation: a new token does not reset the count).
   */
  rateLimitPer?: RateLimitCounting
  /**
   * SailPoint's route back-off (2026-03 documentation): a client over the limit in 3 windows within
   * 120 s gets 429 for 60, then 300, 600 and 1,200 s. Off by default.
   */
  routeBackoff?: boolean
  /** Path versions to mark as retired: their answers carry `X-Deprecated: true`. */
  deprecated?: readonly SailPointApiVersion[]
  /** Default templates added to (or replacing by key) the built-in ones every tenant has. */
  templates?: readonly SailPointTemplate[]
  /**
   * Templates this tenant has customised: the only ones `GET .../notification-templates` lists,
   * and the variants a send uses in place of the defaults'. Each key must be a default's.
   */
  customizedTemplates?: readonly CustomizedTemplate[]
  /** Clock, ms since the epoch; default `Date.now`. */
  now?: () => number
  /** Randomness in [0, 1) for tracking ids and fault probability; default `Math.random`. */
  random?: () => number
}

const fn = <T extends (...args: never[]) => unknown>(name: string) =>
  z.custom<T>((v) => typeof v === 'function', `${name} must be a function`)

const clientSchema = z.strictObject({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  scopes: z.array(z.string().min(1)).optional(),
})

const optionsSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).optional(),
  tls: serverTlsSchema.optional(),
  tenant: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i, 'tenant must be a DNS label')
    .optional(),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  clients: z.array(clientSchema).optional(),
  tokenLifetimeSeconds: z.number().int().min(1).optional(),
  rateLimits: z.enum(['vendor', 'off']).optional(),
  rateLimitPer: z.enum(['token', 'clientId']).optional(),
  routeBackoff: z.boolean().optional(),
  deprecated: z.array(z.enum(SAILPOINT_API_VERSIONS as [SailPointApiVersion])).optional(),
  templates: z.array(templateSchema).optional(),
  customizedTemplates: z.array(customizedTemplateSchema).optional(),
  now: fn<() => number>('now').optional(),
  random: fn<() => number>('random').optional(),
})

/** Options with every default filled in. */
export interface ResolvedSailPointOptions {
  port: number
  tls: ServerTls | undefined
  tenant: string
  credentials: { clientId: string; clientSecret: string }
  clients: readonly Required<SailPointClient>[]
  tokenLifetimeSeconds: number
  rateLimits: 'vendor' | 'off'
  rateLimitPer: RateLimitCounting
  routeBackoff: boolean
  deprecated: ReadonlySet<SailPointApiVersion>
  templates: readonly SailPointTemplate[]
  customizedTemplates: readonly CustomizedTemplate[]
  now: () => number
  random: () => number
}

/** Validates once, up front: an unknown or mistyped option is an error, not a silent default. */
export function resolveOptions(options: SailPointSimulatorOptions = {}): ResolvedSailPointOptions {
  const parsed = optionsSchema.safeParse(options)
  if (!parsed.success) {
    throw new TypeError(`invalid SailPoint simulator options: ${z.prettifyError(parsed.error)}`)
  }
  const o = parsed.data
  const credentials = {
    clientId: o.clientId ?? `sim-${randomBytes(8).toString('hex')}`,
    clientSecret: o.clientSecret ?? randomBytes(32).toString('hex'),
  }
  const clients = [
    { ...credentials, scopes: [SCOPE_ALL] },
    ...(o.clients ?? []).map((c) => ({ ...c, scopes: c.scopes ?? [SCOPE_ALL] })),
  ]
  const ids = new Set<string>()
  for (const c of clients) {
    if (ids.has(c.clientId)) throw new TypeError(`duplicate SailPoint client id ${c.clientId}`)
    ids.add(c.clientId)
  }
  return {
    port: o.port ?? 0,
    tls: o.tls,
    tenant: o.tenant ?? 'sim-tenant',
    credentials,
    clients,
    tokenLifetimeSeconds: o.tokenLifetimeSeconds ?? 749,
    rateLimits: o.rateLimits ?? 'vendor',
    rateLimitPer: o.rateLimitPer ?? 'token',
    routeBackoff: o.routeBackoff ?? false,
    deprecated: new Set(o.deprecated ?? []),
    templates: o.templates ?? [],
    customizedTemplates: o.customizedTemplates ?? [],
    now: o.now ?? Date.now,
    random: o.random ?? Math.random,
  }
}
