import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { SAILPOINT_API_VERSIONS, type SailPointApiVersion } from './routes.js'
import { templateSchema, type SailPointTemplate } from './template-catalogue.js'

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
  /** Tenant name, reported in tokens as `org`; default `'sim-tenant'`. */
  tenant?: string
  /** The main client's id and secret; generated when absent. */
  clientId?: string
  clientSecret?: string
  /** More clients, e.g. a non-admin one with `scopes: ['sp:scopes:default']`. */
  clients?: readonly SailPointClient[]
  /** Seconds an access token lives; default 749, as SailPoint's. */
  tokenLifetimeSeconds?: number
  /** `'vendor'` (default) enforces 100 requests per token per 10 s; `'off'` turns that off. */
  rateLimits?: 'vendor' | 'off'
  /** Path versions to mark as retired: their answers carry `X-Deprecated: true`. */
  deprecated?: readonly SailPointApiVersion[]
  /** Templates added to (or replacing by key) the built-in catalogue. */
  templates?: readonly SailPointTemplate[]
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
  tenant: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i, 'tenant must be a DNS label')
    .optional(),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  clients: z.array(clientSchema).optional(),
  tokenLifetimeSeconds: z.number().int().min(1).optional(),
  rateLimits: z.enum(['vendor', 'off']).optional(),
  deprecated: z.array(z.enum(SAILPOINT_API_VERSIONS as [SailPointApiVersion])).optional(),
  templates: z.array(templateSchema).optional(),
  now: fn<() => number>('now').optional(),
  random: fn<() => number>('random').optional(),
})

/** Options with every default filled in. */
export interface ResolvedSailPointOptions {
  port: number
  tenant: string
  credentials: { clientId: string; clientSecret: string }
  clients: readonly Required<SailPointClient>[]
  tokenLifetimeSeconds: number
  rateLimits: 'vendor' | 'off'
  deprecated: ReadonlySet<SailPointApiVersion>
  templates: readonly SailPointTemplate[]
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
    tenant: o.tenant ?? 'sim-tenant',
    credentials,
    clients,
    tokenLifetimeSeconds: o.tokenLifetimeSeconds ?? 749,
    rateLimits: o.rateLimits ?? 'vendor',
    deprecated: new Set(o.deprecated ?? []),
    templates: o.templates ?? [],
    now: o.now ?? Date.now,
    random: o.random ?? Math.random,
  }
}
