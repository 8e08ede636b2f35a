import type { IncomingMessage, ServerResponse } from 'node:http'
import { handleControlRequest } from '../common/control-surface.js'
import { FaultInjector, type FaultCount, type FaultSpec } from '../common/faults.js'
import { sendText } from '../common/http-io.js'
import { startLoopbackServer } from '../common/loopback-server.js'
import { RequestLog, type RequestLogEntry } from '../common/request-log.js'
import { createAppCredentials, type GitHubAppCredentials } from './app-credentials.js'
import {
  handleCreateInstallationToken,
  handleGetAppHookConfig,
  handleGetRateLimit,
  handleUpdateAppHookConfig,
} from './app-endpoints.js'
import { authenticate, rateLimitKey, rateLimitSubject } from './authenticate.js'
import { DeliveriesLog } from './deliveries-log.js'
import { handleGetDelivery, handleListDeliveries, handleRedeliver } from './delivery-endpoints.js'
import type { DeliveryRecord } from './delivery-record.js'
import {
  githubFaultRenderer,
  sendBasicError,
  sendNotFound,
  sendPrimaryRateLimited,
  sendSecondaryRateLimited,
} from './error-responses.js'
import { HookDispatcher } from './hook-dispatcher.js'
import { handlePing, handleTest } from './hook-endpoints.js'
import {
  appHookConfigSchema,
  hookInfo,
  HookRegistry,
  type CreateHookOptions,
  type GitHubHookInfo,
  type HookContentType,
} from './hooks.js'
import { hookshotUserAgent, newRequestId } from './identifiers.js'
import { resolveGitHubOptions, type GitHubSimulatorOptions } from './options.js'
import {
  rateLimitHeaders,
  PrimaryRateLimit,
  SecondaryRateLimit,
  UNAUTHENTICATED_LIMIT,
} from './rate-limits.js'
import { checkRequestHeaders } from './request-headers.js'
import { GITHUB_ENDPOINTS, matchGitHubRoute, type GitHubEndpoint } from './routes.js'
import { seedDeliveries, type SeedDeliveriesOptions } from './seed-deliveries.js'
import type { GitHubHandler, GitHubSimulatorState } from './simulator-state.js'
import { TokenStore, type CreateTokenOptions } from './tokens.js'

/** A delivery as `deliveries()` and `inspect()` show it: GitHub's record plus the exact body. */
export type GitHubDeliveryInspection = Omit<DeliveryRecord, 'payload'> & {
  payload: unknown
  /** Whether the deliveries log lists it now (visible, within retention). */
  listed: boolean
}

/** One refused credential, for inspection (never the credential itself). */
export interface GitHubAuthFailure {
  receivedAt: number
  endpoint: string
  reason: string
}

export interface GitHubSimulatorInspection {
  vendor: 'github'
  /** The REST base clients use (origin plus any path prefix). */
  baseUrl: string
  now: number
  requests: RequestLogEntry[]
  authFailures: GitHubAuthFailure[]
  hooks: GitHubHookInfo[]
  deliveries: GitHubDeliveryInspection[]
  /** POSTs made to hook URLs so far. */
  deliveriesSent: number
  installationTokensIssued: number
  faults: {
    active: Partial<Record<GitHubEndpoint, FaultSpec & { remaining?: number }>>
    count: FaultCount<GitHubEndpoint>
  }
}

/** An event to send to a hook by hand (e.g. the App's registration ping). */
export interface DeliverEventOptions {
  event: string
  action?: string | null
  payload?: Record<string, unknown>
  installationId?: number | null
}

/** The App's hook config as `configureAppHook` takes it. */
export interface AppHookConfig {
  url?: string
  contentType?: HookContentType
  /** An empty string removes the secret. */
  secret?: string
  insecureSsl?: boolean
}

/** A running GitHub simulator. */
export interface GitHubSimulator {
  /** The REST base, e.g. `http://127.0.0.1:<port>` or `…/api/v3` with a `pathPrefix`. */
  readonly baseUrl: string
  readonly credentials: {
    /** A fine-grained-PAT-like token with Webhooks write on every repository and organization. */
    token: string
    app: GitHubAppCredentials
  }
  /** The id of the App's own hook (`X-GitHub-Hook-ID` of App deliveries). */
  readonly appHookId: number
  createHook(options: CreateHookOptions): GitHubHookInfo
  configureAppHook(config: AppHookConfig): GitHubHookInfo
  /** A personal token with the given permissions and reach (e.g. read only, or one repository). */
  createToken(options?: CreateTokenOptions): string
  /** Makes a token fail with 401 from now on. */
  revokeToken(token: string): void
  /** Sends an event to a hook now (after the delivery delay); resolves to its GUID. */
  deliverEvent(hookId: number, options: DeliverEventOptions): string
  /** Records deliveries without sending them. */
  seedDeliveries(hookId: number, options: SeedDeliveriesOptions): GitHubDeliveryInspection[]
  /** What was delivered (listed or not), oldest first; one hook's or all. */
  deliveries(hookId?: number): GitHubDeliveryInspection[]
  /** Resolves once no delivery is scheduled or in flight. */
  idle(): Promise<void>
  /**
   * The next `times` requests to `endpoint` are carried out (a ping is sent, a redelivery made)
   * but the connection is dropped before the answer: the "did my send reach GitHub?" case.
   * For endpoints without a request body (pings, tests, redeliveries, reads).
   */
  loseAnswer(endpoint: GitHubEndpoint, times?: number): void
  readonly faults: FaultInjector<GitHubEndpoint>
  inspect(): GitHubSimulatorInspection
  /** Stops the server and pending deliveries; leaves no timer or socket. */
  close(): Promise<void>
}

const HANDLERS: Record<GitHubEndpoint, GitHubHandler> = {
  pingHook: handlePing,
  testHook: handleTest,
  listDeliveries: handleListDeliveries,
  getDelivery: handleGetDelivery,
  redeliverDelivery: handleRedeliver,
  getAppHookConfig: handleGetAppHookConfig,
  updateAppHookConfig: handleUpdateAppHookConfig,
  createInstallationAccessToken: handleCreateInstallationToken,
  getRateLimit: handleGetRateLimit,
}

const AUTH_FAILURES_KEPT = 100

/**
 * Starts a local GitHub REST API and webhook sender on 127.0.0.1: hooks, pings and push tests
 * that really POST with GitHub's headers and signatures, the deliveries log, redelivery, token and
 * App auth, rate limits and fault injection. See `index.ts` for the picks made where GitHub's
 * behaviour is unconfirmed.
 */
export async function startGitHubSimulator(
  options: GitHubSimulatorOptions = {},
): Promise<GitHubSimulator> {
  const o = resolveGitHubOptions(options)
  const { now, random } = o
  const { credentials: app, publicKey } = await createAppCredentials({
    appId: o.appId,
    clientId: o.clientId,
    installationId: o.installationId,
    random,
  })
  const hooks = new HookRegistry(o.appId, now)
  const log = new DeliveriesLog({ now, retentionMs: o.retentionMs })
  const dispatcher = new HookDispatcher({
    log,
    now,
    random,
    userAgent: hookshotUserAgent(random),
    deliveryDelayMs: o.deliveryDelayMs,
    logDelayMs: o.logDelayMs,
    deliveryTimeoutMs: o.deliveryTimeoutMs,
    connectionFailureStatusCode: o.connectionFailureStatusCode,
    timeoutStatusCode: o.timeoutStatusCode,
  })
  const tokens = new TokenStore(now)
  const token = tokens.createPersonal()
  const primary = new PrimaryRateLimit(now)
  const secondary = new SecondaryRateLimit(now)
  const requestLog = new RequestLog({ now })
  const authFailures: GitHubAuthFailure[] = []
  const lostAnswers = new Map<GitHubEndpoint, number>()
  const faults = new FaultInjector<GitHubEndpoint>({
    endpoints: GITHUB_ENDPOINTS,
    renderer: githubFaultRenderer(() => ({
      status: o.rateLimitStatus,
      retryAfterSeconds: o.secondaryRetryAfterSeconds,
    })),
    random,
  })
  const state: GitHubSimulatorState = {
    options: o,
    hooks,
    log,
    dispatcher,
    tokens,
    app: { appId: o.appId, clientId: app.clientId, publicKey },
    primary,
    apiBase: '',
    payloadContext: () => ({
      apiBase: state.apiBase,
      appId: o.appId,
      now: now(),
      repositoryId: (owner, repo) => hooks.repositoryId(owner, repo),
      organizationId: (org) => hooks.organizationId(org),
    }),
  }

  const inspectDelivery = (record: DeliveryRecord): GitHubDeliveryInspection => ({
    ...structuredClone(record),
    listed: log.find(record.hookId, record.id) !== undefined,
  })
  const inspect = (): GitHubSimulatorInspection => ({
    vendor: 'github',
    baseUrl: state.apiBase,
    now: now(),
    requests: requestLog.entries(),
    authFailures: authFailures.map((failure) => ({ ...failure })),
    hooks: hooks.list().map(hookInfo),
    deliveries: log.all().map(inspectDelivery),
    deliveriesSent: dispatcher.sent,
    installationTokensIssued: tokens.installationTokensIssued,
    faults: { active: faults.list(), count: faults.count },
  })

  // Order: GitHub's own front checks (User-Agent, API version, Accept), then who is calling and
  // the primary limit (so every answer, faults included, carries `x-ratelimit-*`), then faults,
  // then the secondary limit, then the endpoint.
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Node's own Date is wall-clock time; GitHub's is the clock its deliveries are stamped on,
    // and clients match deliveries against it.
    res.setHeader('date', new Date(now()).toUTCString())
    if (await handleControlRequest(req, res, { faults, inspect })) return
    const url = new URL(req.url ?? '/', server.baseUrl)
    const path = url.pathname.startsWith(`${o.pathPrefix}/`)
      ? url.pathname.slice(o.pathPrefix.length)
      : undefined
    const route = path === undefined ? undefined : matchGitHubRoute(req.method ?? 'GET', path)
    const endpoint = route?.endpoint ?? 'unknown'
    const entry = requestLog.track(endpoint, req, res)
    res.setHeader('x-github-request-id', newRequestId(random))
    res.setHeader('x-github-media-type', 'github.v3; format=json')

    const headerCheck = checkRequestHeaders(req)
    if (!headerCheck.ok) {
      req.resume()
      const { problem } = headerCheck
      // GitHub's missing-User-Agent refusal comes from its front end as plain text.
      if (problem.kind === 'user-agent') return sendText(res, 403, `${problem.message}\n`)
      return sendBasicError(res, problem.status, problem.message)
    }
    res.setHeader('x-github-api-version-selected', headerCheck.apiVersion)

    const auth = await authenticate(req.headers.authorization, {
      tokens,
      app: state.app,
      now: now(),
    })
    const principal = auth.ok ? auth.principal : undefined
    const key = rateLimitKey(principal, o.appId)
    const limit = key === 'anonymous' ? UNAUTHENTICATED_LIMIT : o.primaryRateLimit
    const counted = o.rateLimits === 'vendor' && route?.endpoint !== 'getRateLimit'
    const budget = counted ? primary.take(key, limit) : primary.peek(key, limit)
    for (const [name, value] of Object.entries(rateLimitHeaders(budget))) res.setHeader(name, value)
    if (budget.exceeded) {
      req.resume()
      return sendPrimaryRateLimited(res, o.rateLimitStatus, rateLimitSubject(principal, o.appId))
    }
    if (!auth.ok) {
      req.resume()
      authFailures.push({ receivedAt: now(), endpoint, reason: auth.reason })
      if (authFailures.length > AUTH_FAILURES_KEPT) authFailures.shift()
      return sendBasicError(res, 401, auth.message)
    }
    if (route === undefined || principal === undefined) {
      req.resume()
      return sendNotFound(res)
    }
    const interception = await faults.intercept(route.endpoint, req, res)
    if (interception !== undefined) entry.fault = interception.fault
    if (interception?.handled === true) return
    if (o.rateLimits === 'vendor') {
      const decision = secondary.take(
        `${key} ${route.endpoint}`,
        req.method ?? 'GET',
        o.secondaryPointsPerMinute,
      )
      if (!decision.ok) {
        req.resume()
        return sendSecondaryRateLimited(res, o.rateLimitStatus, decision.retryAfterSeconds)
      }
    }
    const lost = lostAnswers.get(route.endpoint) ?? 0
    if (lost > 0) {
      if (lost === 1) lostAnswers.delete(route.endpoint)
      else lostAnswers.set(route.endpoint, lost - 1)
      // The handler still runs (its side effect happens); its answer goes nowhere.
      req.socket.destroy()
    }
    await HANDLERS[route.endpoint](state, {
      req,
      res,
      url,
      route,
      principal,
      apiVersion: headerCheck.apiVersion,
      rateLimitKey: key,
    })
  }

  const server = await startLoopbackServer(handle, { port: o.port, tls: o.tls })
  state.apiBase = `${server.baseUrl}${o.pathPrefix}`
  let closing: Promise<void> | undefined

  const hookOrThrow = (hookId: number) => {
    const hook = hooks.get(hookId)
    if (hook === undefined) throw new RangeError(`no hook with id ${String(hookId)}`)
    return hook
  }

  return {
    baseUrl: state.apiBase,
    credentials: { token, app: { ...app } },
    appHookId: hooks.appHook.id,
    createHook: (hookOptions) => hookInfo(hooks.create(hookOptions)),
    configureAppHook(config) {
      const parsed = appHookConfigSchema.safeParse({
        ...(config.url === undefined ? {} : { url: config.url }),
        ...(config.contentType === undefined ? {} : { content_type: config.contentType }),
        ...(config.secret === undefined ? {} : { secret: config.secret }),
        ...(config.insecureSsl === undefined
          ? {}
          : { insecure_ssl: config.insecureSsl ? '1' : '0' }),
      })
      if (!parsed.success) throw new TypeError(`invalid App hook config: ${parsed.error.message}`)
      return hookInfo(hooks.updateAppHook(parsed.data))
    },
    createToken: (tokenOptions) => tokens.createPersonal(tokenOptions),
    revokeToken: (value) => tokens.revoke(value),
    deliverEvent(hookId, event) {
      const hook = hookOrThrow(hookId)
      if (!/^[a-z_]{1,64}$/.test(event.event))
        throw new TypeError('event must be a webhook event name')
      return dispatcher.deliver(hook, {
        event: event.event,
        action: event.action ?? null,
        payload: event.payload ?? { hook_id: hook.id },
        installationId: event.installationId ?? null,
        repositoryId: hook.target.kind === 'repository' ? hook.targetId : null,
      })
    },
    seedDeliveries: (hookId, seed) =>
      seedDeliveries(hookOrThrow(hookId), dispatcher, seed, { now: now(), random }).map(
        inspectDelivery,
      ),
    deliveries: (hookId) =>
      log
        .all()
        .filter((record) => hookId === undefined || record.hookId === hookId)
        .map(inspectDelivery),
    idle: () => dispatcher.idle(),
    loseAnswer(endpoint, times = 1) {
      if (!faults.isEndpoint(endpoint)) throw new RangeError(`unknown endpoint ${String(endpoint)}`)
      if (!Number.isInteger(times) || times < 1)
        throw new RangeError('times must be a positive integer')
      lostAnswers.set(endpoint, times)
    },
    faults,
    inspect,
    close() {
      closing ??= Promise.all([server.close(), dispatcher.close()]).then(() => undefined)
      return closing
    },
  }
}
