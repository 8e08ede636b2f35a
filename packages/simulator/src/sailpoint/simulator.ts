import type { IncomingMessage, ServerResponse } from 'node:http'
import { handleControlRequest } from '../common/control-surface.js'
import { FaultInjector, type FaultCount, type FaultSpec } from '../common/faults.js'
import { BodyTooLargeError } from '../common/http-io.js'
import { startLoopbackServer } from '../common/loopback-server.js'
import { RequestLog, type RequestLogEntry } from '../common/request-log.js'
import { createErrorWriter } from './error-response.js'
import { GatewayRateLimit } from './gateway-rate-limit.js'
import { resolveOptions, type SailPointSimulatorOptions } from './options.js'
import {
  SAILPOINT_ENDPOINTS,
  matchRoute,
  type SailPointEndpoint,
  type SailPointRoute,
} from './routes.js'
import { acceptedScopes } from './scopes.js'
import { handleSendTest, type OutboxEntry } from './send-test.js'
import { TemplateCatalogue } from './template-catalogue.js'
import {
  handleListTemplates,
  handleTemplateDefaults,
  handleTemplateVariables,
} from './template-endpoints.js'
import { handleTokenRequest, type TokenGrant } from './token-endpoint.js'
import { stableHex, TokenStore, type IssuedToken } from './token-store.js'

/** Everything the simulator received and did, as `inspect()` and `GET /__simulator/inspect` give it. */
export interface SailPointInspection {
  vendor: 'sailpoint'
  baseUrl: string
  tokenUrl: string
  tenant: string
  /** The simulator clock when the snapshot was taken. */
  now: number
  tokensIssued: number
  tokenGrants: TokenGrant[]
  requests: RequestLogEntry[]
  outbox: OutboxEntry[]
  faults: {
    active: Partial<Record<SailPointEndpoint, FaultSpec & { remaining?: number }>>
    count: FaultCount<SailPointEndpoint>
  }
}

export interface SailPointSimulator {
  /** `http://127.0.0.1:<port>`: the tenant API base (paths `/beta/...`, `/.../v1`). */
  baseUrl: string
  /** `<baseUrl>/oauth/token`. */
  tokenUrl: string
  tenant: string
  /** The main (ORG_ADMIN) client. */
  credentials: { clientId: string; clientSecret: string }
  faults: FaultInjector<SailPointEndpoint>
  inspect(): SailPointInspection
  /** Notifications "sent", oldest first. */
  readonly outbox: readonly OutboxEntry[]
  readonly tokensIssued: number
  /**
   * Makes every token issued so far fail with 401; new tokens can be fetched. The rate limit is not
   * reset: counted per client id, a new token starts where the old one left off.
   */
  revokeTokens(): void
  close(): Promise<void>
}

/** Starts a SailPoint Identity Security Cloud emulator on 127.0.0.1. */
export async function startSailPointSimulator(
  options: SailPointSimulatorOptions = {},
): Promise<SailPointSimulator> {
  const o = resolveOptions(options)
  const identity = {
    tenant: o.tenant,
    tenantId: uuidFrom(stableHex(`tenant:${o.tenant}`)),
    pod: 'sim01-loopback',
  }
  const errors = createErrorWriter(o.random)
  const faults = new FaultInjector<SailPointEndpoint>({
    endpoints: SAILPOINT_ENDPOINTS,
    renderer: errors.faultRenderer,
    random: o.random,
  })
  const log = new RequestLog({ now: o.now })
  const limiter = new GatewayRateLimit({
    now: o.now,
    counting: o.rateLimitPer,
    routeBackoff: o.routeBackoff,
  })
  const store = new TokenStore({ now: o.now, lifetimeSeconds: o.tokenLifetimeSeconds, identity })
  let catalogue: TemplateCatalogue
  try {
    catalogue = new TemplateCatalogue(o.templates, o.customizedTemplates)
  } catch (error) {
    throw new TypeError(`invalid SailPoint simulator options: ${(error as Error).message}`)
  }
  const outbox: OutboxEntry[] = []
  const grants: TokenGrant[] = []
  let baseUrl = ''

  const inspect = (): SailPointInspection => ({
    vendor: 'sailpoint',
    baseUrl,
    tokenUrl: `${baseUrl}/oauth/token`,
    tenant: o.tenant,
    now: o.now(),
    tokensIssued: store.issued,
    tokenGrants: grants.map((g) => ({ ...g, scopes: [...g.scopes] })),
    requests: log.entries(),
    outbox: structuredClone(outbox),
    faults: { active: faults.list(), count: faults.count },
  })

  /** Bearer check; answers 401 itself and resolves to undefined when the token is not good. */
  async function authenticate(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<IssuedToken | undefined> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
    if (!match?.[1]) {
      errors.unauthorized(res, 'JWT is required')
      return undefined
    }
    const check = await store.check(match[1])
    if (!check.ok) {
      errors.unauthorized(res, check.error)
      return undefined
    }
    return check.token
  }

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    r: SailPointRoute,
  ): Promise<void> {
    if (r.endpoint === 'token') {
      const grant = await handleTokenRequest(req, res, url, {
        clients: o.clients,
        store,
        identity,
        lifetimeSeconds: o.tokenLifetimeSeconds,
      })
      if (grant) grants.push(grant)
      return
    }
    const version = r.version ?? 'v1'
    const token = await authenticate(req, res)
    if (!token) return
    if (o.rateLimits === 'vendor') {
      const decision = limiter.take(token, r.endpoint)
      if (!decision.ok) {
        errors.rateLimited(res, decision.retryAfterSeconds)
        return
      }
    }
    const accepted = acceptedScopes(r.endpoint, version)
    if (!token.scopes.some((s) => accepted.includes(s))) {
      errors.dto(
        res,
        403,
        `The token's scopes (${token.scopes.join(' ') || 'none'}) do not allow this call; it needs one of: ${accepted.join(', ')}.`,
      )
      return
    }
    switch (r.endpoint) {
      case 'sendTestNotification':
        await handleSendTest(req, res, {
          version,
          token,
          tenant: o.tenant,
          catalogue,
          errors,
          now: o.now,
          record: (entry) => outbox.push(entry),
        })
        return
      case 'listTemplates':
        handleListTemplates(url, res, catalogue, errors)
        return
      case 'templateDefaults':
        handleTemplateDefaults(url, res, catalogue, errors)
        return
      case 'templateVariables':
        handleTemplateVariables(r.params ?? { key: '', medium: '' }, res, catalogue, errors)
        return
    }
  }

  const server = await startLoopbackServer(
    async (req, res) => {
      // Node's own Date is wall-clock time; SailPoint's is the clock its tokens expire on.
      res.setHeader('date', new Date(o.now()).toUTCString())
      if (await handleControlRequest(req, res, { faults, inspect })) return
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const r = matchRoute(url.pathname)
      const entry = log.track(r?.endpoint ?? 'unknown', req, res)
      if (r === undefined) {
        errors.dto(res, 404, `Nothing is served at ${req.method ?? 'GET'} ${url.pathname}.`)
        return
      }
      if (r.version !== undefined && o.deprecated.has(r.version))
        res.setHeader('x-deprecated', 'true')
      const interception = await faults.intercept(r.endpoint, req, res)
      if (interception !== undefined) entry.fault = interception.fault
      if (interception?.handled === true) return
      if (req.method !== r.method) {
        res.setHeader('allow', r.method)
        errors.dto(res, 405, `${req.method ?? 'GET'} is not supported here; use ${r.method}.`)
        return
      }
      try {
        await route(req, res, url, r)
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error
        errors.dto(res, 413, `The request body exceeds ${String(error.limitBytes)} bytes.`)
      }
    },
    { port: o.port, tls: o.tls },
  )
  baseUrl = server.baseUrl

  return {
    baseUrl,
    tokenUrl: `${baseUrl}/oauth/token`,
    tenant: o.tenant,
    credentials: { ...o.credentials },
    faults,
    inspect,
    get outbox() {
      return outbox
    },
    get tokensIssued() {
      return store.issued
    },
    revokeTokens() {
      store.revokeAll()
    },
    close: () => server.close(),
  }
}

function uuidFrom(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}
