import {
  NotificationTestError,
  Transport,
  isNotificationTestError,
  redact,
  redactingLogger,
  registerSecret,
  type Clock,
  type Logger,
  type Random,
  type RetryPolicy,
} from '@notiprobe/core'
import * as oauth from 'openid-client'
import { OPERATIONS, VENDOR, type SailPointApiVersion } from './constants.js'
import { mapSailPointError } from './errors.js'

/**
 * SailPoint access tokens by OAuth2 client credentials (openid-client, no discovery: the token
 * endpoint is known). One token is cached until shortly before it expires; concurrent callers
 * share one fetch; a token the API refused can be dropped so the next caller fetches a new one.
 * The HTTP exchange goes through core's transport (keep-alive, no redirects, deadline, retries of
 * 429 after `Retry-After`, of 5xx and of network errors: fetching a token is a read).
 */

export interface TokenProviderOptions {
  readonly tokenUrl: string
  readonly clientId: string
  readonly clientSecret: string
  /** Named in error hints. */
  readonly apiVersion: SailPointApiVersion
  /** Deadline of one token fetch, retries included. */
  readonly timeoutMs: number
  readonly retry?: Partial<RetryPolicy> | undefined
  readonly clock: Clock
  readonly random: Random
  readonly logger?: Logger | undefined
}

/** Lifetime assumed when the token endpoint gives no `expires_in` (SailPoint's is 749 s). */
export const DEFAULT_TOKEN_LIFETIME_MS = 300_000
/** A token is renewed this long before it expires, or after 90 % of its life if that is sooner. */
export const TOKEN_RENEWAL_MARGIN_MS = 60_000

interface CachedToken {
  readonly value: string
  readonly expiresAt: number
  readonly renewAt: number
}

/** Network failures that mean the token URL cannot be reached at all: worth naming the URL. */
const UNREACHABLE = new Set([
  'ENOTFOUND',
  'ECONNREFUSED',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

/** A host name that does not resolve is a wrong tenant or URL; the rest may pass (network). */
const MISCONFIGURED = new Set(['ENOTFOUND'])

const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/

export class SailPointTokenProvider {
  readonly #tokenUrl: URL
  readonly #config: oauth.Configuration
  readonly #transport: Transport
  readonly #clock: Clock
  readonly #logger: Logger | undefined
  #cached: CachedToken | undefined
  #inflight: Promise<CachedToken> | undefined
  #fetches = 0

  constructor(options: TokenProviderOptions) {
    this.#tokenUrl = new URL(options.tokenUrl)
    this.#clock = options.clock
    this.#logger = options.logger === undefined ? undefined : redactingLogger(options.logger)
    const tokenUrl = options.tokenUrl
    this.#transport = new Transport({
      vendor: VENDOR,
      baseUrl: this.#tokenUrl.origin,
      baseUrlField: 'tokenUrl',
      timeoutMs: options.timeoutMs,
      retry: options.retry,
      clock: options.clock,
      random: options.random,
      logger: options.logger,
      mapError: (response, operation) =>
        mapSailPointError(response, {
          operation,
          endpoint: 'token',
          apiVersion: options.apiVersion,
          url: tokenUrl,
        }),
    })
    // Static metadata: SailPoint's token endpoint is known, and discovery would be a request to
    // a URL the caller did not name.
    this.#config = new oauth.Configuration(
      { issuer: this.#tokenUrl.origin, token_endpoint: tokenUrl },
      options.clientId,
      undefined,
      oauth.ClientSecretPost(options.clientSecret),
    )
    this.#config[oauth.customFetch] = (url, init) => this.#post(url, init)
    // The transport's deadline governs; openid-client's own timer would run on the real clock.
    this.#config.timeout = 0
    if (this.#tokenUrl.protocol === 'http:') {
      // Only reachable for loopback hosts (the simulator): the options refuse any other http URL.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      oauth.allowInsecureRequests(this.#config)
    }
  }

  /** How many token requests this provider has made (each shared by every caller waiting on it). */
  get fetches(): number {
    return this.#fetches
  }

  /**
   * A valid access token: the cached one, or a fresh one fetched once for every concurrent caller.
   * `signal` lets one caller stop waiting without cancelling the fetch the others share.
   */
  async getToken(signal?: AbortSignal): Promise<string> {
    const cached = this.#cached
    if (cached !== undefined && this.#clock.now() < cached.renewAt) return cached.value
    if (this.#inflight === undefined) {
      const inflight = this.#fetch().finally(() => {
        if (this.#inflight === inflight) this.#inflight = undefined
      })
      // Handled here so that a fetch every caller stopped waiting for cannot go unhandled.
      inflight.catch(() => undefined)
      this.#inflight = inflight
    }
    const token = await untilAborted(this.#inflight, signal)
    return token.value
  }

  /** Drops `token` if it is the cached one (SailPoint refused it); the next call fetches anew. */
  invalidate(token: string): void {
    if (this.#cached?.value === token) {
      this.#cached = undefined
      this.#logger?.debug('dropped the cached SailPoint access token after a 401')
    }
  }

  /** Closes idle keep-alive connections to the token endpoint. */
  close(): void {
    this.#transport.close()
  }

  async #fetch(): Promise<CachedToken> {
    this.#fetches += 1
    const started = this.#clock.now()
    let response: Awaited<ReturnType<typeof oauth.clientCredentialsGrant>>
    try {
      response = await oauth.clientCredentialsGrant(this.#config)
    } catch (error) {
      throw this.#failure(error)
    }
    if (response.token_type !== 'bearer') {
      throw this.#invalidResponse(
        `token_type is ${JSON.stringify(response.token_type)}, not "bearer"`,
      )
    }
    const value = response.access_token
    const lifetime =
      response.expires_in === undefined
        ? DEFAULT_TOKEN_LIFETIME_MS
        : Math.max(0, response.expires_in * 1000)
    // JWTs are redacted by shape; anything else is registered until it has expired.
    if (!JWT_SHAPE.test(value)) registerSecret(value, { forgetAfterMs: lifetime + 60_000 })
    // Counted from when the request left: the token cannot have been issued earlier.
    const expiresAt = started + lifetime
    const token = {
      value,
      expiresAt,
      renewAt: expiresAt - Math.min(TOKEN_RENEWAL_MARGIN_MS, lifetime / 10),
    }
    this.#cached = token
    this.#logger?.debug('fetched a SailPoint access token', {
      expiresInSeconds: Math.round(lifetime / 1000),
      scope: response.scope,
    })
    return token
  }

  /** openid-client's HTTP requests, sent through core's transport, answered as fetch Responses. */
  async #post(url: string, init: oauth.CustomFetchOptions): Promise<Response> {
    const target = new URL(url)
    if (target.origin !== this.#tokenUrl.origin || init.method !== 'POST') {
      throw new NotificationTestError({
        vendor: VENDOR,
        operation: OPERATIONS.fetchAccessToken,
        kind: 'config',
        message: `Refused to send the client credentials to ${target.origin}: only ${this.#tokenUrl.origin} is allowed.`,
      })
    }
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(init.headers)) {
      // The transport sets its own content type and user agent.
      if (!/^(content-type|user-agent|content-length)$/i.test(name)) headers[name] = value
    }
    const form =
      init.body instanceof URLSearchParams
        ? init.body
        : new URLSearchParams(typeof init.body === 'string' ? init.body : '')
    const answer = await this.#transport.request({
      operation: OPERATIONS.fetchAccessToken,
      method: 'POST',
      path: target.pathname + target.search,
      form,
      headers: () => headers,
      callKind: 'read',
    })
    return new Response(answer.body, { status: answer.status, headers: answer.headers })
  }

  /** Any failure of a token fetch, as a NotificationTestError without the secret or the token. */
  #failure(error: unknown): NotificationTestError {
    const mapped = findNotificationTestError(error)
    if (mapped === undefined) return this.#invalidResponse(describeOAuthFailure(error))
    const code = (mapped.cause as { code?: unknown } | undefined)?.code
    if (mapped.kind === 'network' && typeof code === 'string' && UNREACHABLE.has(code)) {
      return new NotificationTestError({
        vendor: VENDOR,
        operation: OPERATIONS.fetchAccessToken,
        kind: MISCONFIGURED.has(code) ? 'config' : 'network',
        message: `${mapped.message} Check tenant (or baseUrl) and tokenUrl: the token URL ${this.#tokenUrl.href} cannot be reached.`,
        retryable: !MISCONFIGURED.has(code),
        cause: mapped.cause,
      })
    }
    return mapped
  }

  #invalidResponse(why: string): NotificationTestError {
    return new NotificationTestError({
      vendor: VENDOR,
      operation: OPERATIONS.fetchAccessToken,
      kind: 'invalid_response',
      message: `Fetching a SailPoint access token failed: the token endpoint at ${this.#tokenUrl.host} did not answer with a usable OAuth token (${redact(why)}). Check tokenUrl (now ${this.#tokenUrl.href}).`,
    })
  }
}

/** openid-client's codes for a token response it could not use, in plain words. */
const OAUTH_FAILURES: Readonly<Record<string, string>> = {
  OAUTH_PARSE_ERROR: 'the body is not valid JSON',
  OAUTH_RESPONSE_IS_NOT_JSON: 'the answer is not JSON',
  OAUTH_RESPONSE_IS_NOT_CONFORM: 'the HTTP status is not 200',
}

/** Why openid-client refused a token response: its code in words, or its innermost message. */
function describeOAuthFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && OAUTH_FAILURES[code] !== undefined) return OAUTH_FAILURES[code]
  let innermost = error
  while (innermost instanceof Error && innermost.cause instanceof Error) innermost = innermost.cause
  const message = innermost instanceof Error ? innermost.message : String(innermost)
  return message.replace(/"/g, '')
}

/** The NotificationTestError the transport threw, wherever openid-client wrapped it. */
function findNotificationTestError(error: unknown): NotificationTestError | undefined {
  let current = error
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (isNotificationTestError(current)) return current
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** Waits for `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise
  if (signal.aborted) return Promise.reject(signal.reason as Error)
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error)
    signal.addEventListener('abort', onAbort, { once: true })
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
