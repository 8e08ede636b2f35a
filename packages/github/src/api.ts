import { NotificationTestError, isNotificationTestError } from '@notiprobe/core'
import {
  RateLimiter,
  TokenCache,
  Transport,
  createDeadline,
  interruptedError,
  redactingLogger,
  type BodyRead,
  type CallKind,
  type Deadline,
  type Logger,
  type Operation,
  type VendorResponse,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import { createAppJwtSource, type AppJwtSource } from './app-jwt.js'
import { GITHUB_OPERATIONS, VENDOR } from './constants.js'
import { parseExactJson } from './exact-json.js'
import { mapGitHubError } from './map-error.js'
import type { ResolvedGitHubOptions } from './options.js'
import { installationLookupPath, installationTokenPath } from './paths.js'
import { githubTimeOf, installationSchema, installationTokenSchema } from './responses.js'
import type { ResolvedTarget } from './target.js'

/** How a request authenticates: the hook's credential, or the App's own JWT (`/app/*`). */
export type Credential = 'hook' | 'app-jwt'

export interface GitHubRequest {
  readonly operation: Operation
  readonly method: 'GET' | 'POST'
  /** Under the base URL; a query string may follow (a `link` header's cursor, verbatim). */
  readonly path: string
  readonly query?: Readonly<Record<string, string | number | undefined>>
  readonly callKind: CallKind
  /** `stream` for the pages of a long read (a deliveries log); see `RequestSpec.bodyRead`. */
  readonly bodyRead?: BodyRead
  readonly credential: Credential
  readonly deadline: Deadline
}

/** GitHub's JSON media type and the version the answers are shaped by. */
const ACCEPT = 'application/vnd.github+json'
/** Installation tokens last an hour; renewed five minutes early so none dies mid-call. */
const INSTALLATION_TOKEN_LIFETIME_MS = 3_600_000
const INSTALLATION_TOKEN_RENEWAL_MS = 300_000
/** Writes (pings, tests, redeliveries) at least a second apart, as Octokit's throttling keeps them. */
const WRITES = { key: 'github.writes', limit: { perSecond: 1, burst: 1 } } as const

/**
 * GitHub's REST API for one tester: core's transport (deadline, retries, `Retry-After`, rate-limit
 * gate) with GitHub's headers and credentials. A token goes as `Bearer`; a GitHub App signs a JWT
 * for `/app/*` and trades it for installation tokens, cached by core's TokenCache. A 401 drops the
 * credential and repeats the request once with a new one: GitHub refused it before acting on it.
 */
export class GitHubApi {
  readonly transport: Transport
  readonly #options: ResolvedGitHubOptions
  readonly #jwt: AppJwtSource | undefined
  readonly #installationTokens: TokenCache | undefined
  readonly #logger: Logger | undefined
  readonly #rateLimiter: RateLimiter
  #installationId: Promise<string> | undefined

  constructor(options: ResolvedGitHubOptions) {
    this.#options = options
    const clock = options.clock
    const { auth, target } = options
    this.#logger = options.logger === undefined ? undefined : redactingLogger(options.logger)
    this.transport = new Transport({
      vendor: VENDOR,
      baseUrl: options.baseUrl,
      retry: options.retry,
      clock,
      random: options.random,
      logger: options.logger,
      rateLimiter: (this.#rateLimiter = new RateLimiter(clock)),
      proxy: options.proxy,
      ca: options.ca,
      onEvent: options.onEvent,
      mapError: (response, operation) => {
        const error = mapGitHubError({
          status: response.status,
          headers: response.headers,
          body: response.body,
          operation: operation.name,
          now: clock.now(),
          targetType: target.type,
          authType: auth.type,
        })
        this.#holdWritesAfter(error)
        return error
      },
    })
    if (auth.type === 'app') {
      this.#jwt = createAppJwtSource({ issuer: auth.issuer, privateKey: auth.privateKey, clock })
      if (target.type !== 'app') {
        const given = auth.installationId
        this.#installationTokens = new TokenCache({
          issue: async () =>
            this.#issueInstallationToken(given ?? (await this.#findInstallation(target))),
          clock,
          defaultLifetimeMs: INSTALLATION_TOKEN_LIFETIME_MS,
          renewalMarginMs: INSTALLATION_TOKEN_RENEWAL_MS,
          description: 'GitHub App installation token',
          logger: options.logger,
        })
      }
    }
  }

  /** Installation tokens fetched so far (single flight: concurrent callers share one). */
  get installationTokenFetches(): number {
    return this.#installationTokens?.fetches ?? 0
  }

  /** The request, answered 2xx, or a NotificationTestError. */
  async request(request: GitHubRequest): Promise<VendorResponse> {
    for (let attempt = 1; ; attempt++) {
      const { auth } = this.#options
      // A token needs no wait (no promise is made for it); an App's credentials may.
      const credential =
        auth.type === 'token' ? { value: auth.token.reveal() } : await this.#appCredential(request)
      try {
        return await this.transport.request({
          operation: request.operation,
          method: request.method,
          path: request.path,
          query: request.query,
          callKind: request.callKind,
          bodyRead: request.bodyRead,
          deadline: request.deadline,
          // Bodies are parsed here, exactly (parseExactJson): the transport's JSON.parse would be a
          // second parse of every page, with int64 ids rounded.
          answerAs: 'text',
          rateLimit:
            request.callKind === 'send' && this.#options.rateLimits === 'vendor'
              ? WRITES
              : undefined,
          headers: () => ({
            accept: ACCEPT,
            'x-github-api-version': this.#options.apiVersion,
            authorization: `Bearer ${credential.value}`,
          }),
        })
      } catch (error) {
        if (
          !isNotificationTestError(error) ||
          error.httpStatus !== 401 ||
          credential.drop === undefined
        )
          throw error
        credential.drop()
        if (attempt > 1) throw error
        this.#logger?.debug(
          `${request.operation.name}: GitHub refused the credential; retrying once with a new one`,
        )
      }
    }
  }

  /** A 2xx answer's JSON body, exact past 2^53, checked against `schema`. */
  parse<T extends z.ZodType>(
    response: VendorResponse,
    schema: T,
    operation: Operation,
    what: string,
  ): z.output<T> {
    let json: unknown
    try {
      json = parseExactJson(response.body)
    } catch {
      throw invalidResponse(operation, `${what} was not JSON`)
    }
    const parsed = z.safeParse(schema, json)
    if (parsed.success) return parsed.data
    const issue = parsed.error.issues[0]
    const where =
      issue === undefined || issue.path.length === 0
        ? ''
        : ` at ${issue.path.map(String).join('.')}`
    throw invalidResponse(
      operation,
      `${what} did not have GitHub's documented shape${where}: ${issue?.message ?? 'invalid'}`,
    )
  }

  close(): void {
    this.transport.close()
  }

  /**
   * GitHub's primary limit covers every call of the credential, reads included; the kit holds an
   * endpoint back only after a rate-limit answer on that endpoint (sends here). So a read's
   * rate-limit answer holds this tester's writes too until GitHub's wait is over: no ping or
   * redelivery goes out while GitHub says to stop.
   */
  #holdWritesAfter(error: NotificationTestError): void {
    if (error.kind !== 'rate_limited' || error.retryAfterMs === undefined) return
    if (this.#options.rateLimits !== 'vendor') return
    this.#rateLimiter.block(WRITES.key, this.#options.clock.now() + error.retryAfterMs)
  }

  async #appCredential(request: GitHubRequest): Promise<{ value: string; drop?: () => void }> {
    const jwt = this.#jwt
    if (jwt === undefined) throw new Error('unreachable: an App without a JWT source')
    const tokens = this.#installationTokens
    if (request.credential === 'app-jwt' || tokens === undefined) {
      return { value: await jwt.get(), drop: () => jwt.reset() }
    }
    const { deadline } = request
    try {
      const value = await tokens.getToken(deadline)
      return { value, drop: () => tokens.invalidate(value) }
    } catch (error) {
      if (isNotificationTestError(error) || !deadline.aborted) throw error
      throw interruptedError(
        VENDOR,
        request.operation,
        deadline,
        request.callKind,
        ' while waiting for a GitHub App installation token',
      )
    }
  }

  /** The App's installation on the hook's repository or organization, asked once with the JWT. */
  #findInstallation(target: Exclude<ResolvedTarget, { type: 'app' }>): Promise<string> {
    this.#installationId ??= (async () => {
      const operation = GITHUB_OPERATIONS.findInstallation
      const deadline = createDeadline({ timeoutMs: this.#options.timeoutMs }, this.#options.clock)
      try {
        const response = await this.request({
          operation,
          method: 'GET',
          path: installationLookupPath(target),
          callKind: 'read',
          credential: 'app-jwt',
          deadline,
        })
        return this.parse(response, installationSchema, operation, 'The installation answer').id
      } finally {
        deadline.dispose()
      }
    })()
    // A failed lookup is asked again next time.
    this.#installationId.catch(() => {
      this.#installationId = undefined
    })
    return this.#installationId
  }

  /** `POST /app/installations/{id}/access_tokens` with the App's JWT: 201 `{token, expires_at}`. */
  async #issueInstallationToken(installationId: string) {
    const operation = GITHUB_OPERATIONS.createInstallationToken
    const deadline = createDeadline({ timeoutMs: this.#options.timeoutMs }, this.#options.clock)
    try {
      const response = await this.request({
        operation,
        method: 'POST',
        path: installationTokenPath(installationId),
        // Repeating it makes at most a second token: no visible effect, so it retries as a read.
        callKind: 'read',
        credential: 'app-jwt',
        deadline,
      })
      const token = this.parse(
        response,
        installationTokenSchema,
        operation,
        'The installation token answer',
      )
      // Counted on GitHub's clock (its Date header) where it gave one: this machine's may be off.
      const now = githubTimeOf(response.headers.date) ?? this.#options.clock.now()
      return { value: token.token, lifetimeMs: Date.parse(token.expires_at) - now }
    } finally {
      deadline.dispose()
    }
  }
}

export function invalidResponse(operation: Operation, why: string): NotificationTestError {
  return new NotificationTestError({
    vendor: VENDOR,
    operation: operation.name,
    kind: 'invalid_response',
    message: `${operation.label} failed: ${why}.`,
  })
}
