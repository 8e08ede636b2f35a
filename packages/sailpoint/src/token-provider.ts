import { NotificationTestError, redact } from '@notiprobe/core'
import {
  TokenCache,
  Transport,
  failedMessage,
  withDeadline,
  type AbortSource,
  type AdapterEventListener,
  type Clock,
  type ConnectionOptions,
  type Deadline,
  type IssuedToken,
  type Logger,
  type NetworkFailure,
  type Random,
  type RetryPolicy,
} from '@notiprobe/core/adapter'
import * as oauth from 'openid-client'
import { SAILPOINT_OPERATIONS, VENDOR, type SailPointApiVersion } from './constants.js'
import { mapSailPointError } from './errors.js'

/**
 * SailPoint access tokens by OAuth2 client credentials (openid-client, no discovery: the token
 * endpoint is known), cached by core's TokenCache (single flight, early renewal, invalidation).
 * The HTTP exchange goes through core's transport (keep-alive, no redirects, deadline, retries of
 * 429 after `Retry-After`, of 5xx and of network errors: fetching a token is a read).
 */

export interface TokenProviderOptions {
  readonly tokenUrl: string
  readonly clientId: string
  readonly clientSecret: string
  /** Named in error hints. */
  readonly apiVersion: SailPointApiVersion
  /** Deadline of one token fetch, retries included. A caller stops waiting at its own deadline. */
  readonly timeoutMs: number
  readonly retry?: Partial<RetryPolicy> | undefined
  readonly clock: Clock
  readonly random: Random
  readonly logger?: Logger | undefined
  /** The same proxy and CAs as the API calls: openid-client's fetch goes through the transport. */
  readonly proxy?: ConnectionOptions['proxy']
  readonly ca?: ConnectionOptions['ca']
  readonly onEvent?: AdapterEventListener | undefined
}

/** Lifetime assumed when the token endpoint gives no `expires_in` (SailPoint's is 749 s). */
export const DEFAULT_TOKEN_LIFETIME_MS = 300_000
/** A token is renewed this long before it expires, or after 90 % of its life if that is sooner. */
export const TOKEN_RENEWAL_MARGIN_MS = 60_000

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

const OPERATION = SAILPOINT_OPERATIONS.fetchAccessToken

export class SailPointTokenProvider {
  readonly #tokenUrl: URL
  readonly #config: oauth.Configuration
  readonly #transport: Transport
  readonly #cache: TokenCache
  readonly #options: TokenProviderOptions
  /** The transport's error for the fetch under way: openid-client only sees it as a failed fetch. */
  #transportFailure: NotificationTestError | undefined

  constructor(options: TokenProviderOptions) {
    this.#options = options
    this.#tokenUrl = new URL(options.tokenUrl)
    const tokenUrl = options.tokenUrl
    this.#transport = new Transport({
      vendor: VENDOR,
      baseUrl: this.#tokenUrl.origin,
      baseUrlField: 'tokenUrl',
      retry: options.retry,
      clock: options.clock,
      random: options.random,
      logger: options.logger,
      proxy: options.proxy,
      ca: options.ca,
      onEvent: options.onEvent,
      mapError: (response, operation) =>
        mapSailPointError(response, {
          operation,
          endpoint: 'token',
          apiVersion: options.apiVersion,
          url: tokenUrl,
        }),
      mapNetworkFailure: (failure, error) => this.#unreachable(failure, error),
    })
    this.#cache = new TokenCache({
      issue: () => this.#issue(),
      clock: options.clock,
      defaultLifetimeMs: DEFAULT_TOKEN_LIFETIME_MS,
      renewalMarginMs: TOKEN_RENEWAL_MARGIN_MS,
      description: 'SailPoint access token',
      logger: options.logger,
    })
    // Static metadata: SailPoint's token endpoint is known, and discovery would be a request to
    // a URL the caller did not name.
    this.#config = new oauth.Configuration(
      { issuer: this.#tokenUrl.origin, token_endpoint: tokenUrl },
      options.clientId,
      undefined,
      oauth.ClientSecretPost(options.clientSecret),
    )
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
    return this.#cache.fetches
  }

  /** The cached access token while it is valid, without waiting; undefined when one must be fetched. */
  current(): string | undefined {
    return this.#cache.current()
  }

  /** A valid access token; `signal` lets one caller stop waiting without cancelling the fetch. */
  getToken(signal?: AbortSource): Promise<string> {
    return this.#cache.getToken(signal)
  }

  /** Drops `token` if it is the cached one (SailPoint refused it); the next call fetches anew. */
  invalidate(token: string): void {
    this.#cache.invalidate(token)
  }

  /** Closes idle keep-alive connections to the token endpoint. */
  close(): void {
    this.#transport.close()
  }

  /** One client-credentials exchange, within its own deadline. */
  async #issue(): Promise<IssuedToken> {
    const { clock, timeoutMs } = this.#options
    return withDeadline({}, clock, timeoutMs, async (deadline) => {
      this.#transportFailure = undefined
      this.#config[oauth.customFetch] = (url, init) => this.#post(url, init, deadline)
      let response: Awaited<ReturnType<typeof oauth.clientCredentialsGrant>>
      try {
        response = await oauth.clientCredentialsGrant(this.#config)
      } catch (error) {
        throw this.#transportFailure ?? this.#invalidResponse(describeOAuthFailure(error))
      }
      if (response.token_type !== 'bearer') {
        throw this.#invalidResponse(
          `token_type is ${JSON.stringify(response.token_type)}, not "bearer"`,
        )
      }
      return {
        value: response.access_token,
        lifetimeMs: response.expires_in === undefined ? undefined : response.expires_in * 1000,
      }
    })
  }

  /** openid-client's HTTP requests, sent through core's transport, answered as fetch Responses. */
  async #post(url: string, init: oauth.CustomFetchOptions, deadline: Deadline): Promise<Response> {
    const target = new URL(url)
    if (target.origin !== this.#tokenUrl.origin || init.method !== 'POST') {
      this.#transportFailure = new NotificationTestError({
        vendor: VENDOR,
        operation: OPERATION.name,
        kind: 'config',
        message: `Refused to send the client credentials to ${target.origin}: only ${this.#tokenUrl.origin} is allowed.`,
      })
      throw this.#transportFailure
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
    try {
      const answer = await this.#transport.request({
        operation: OPERATION,
        method: 'POST',
        path: target.pathname + target.search,
        form,
        headers: () => headers,
        callKind: 'read',
        deadline,
      })
      return new Response(answer.body, { status: answer.status, headers: answer.headers })
    } catch (error) {
      if (error instanceof NotificationTestError) this.#transportFailure = error
      throw error
    }
  }

  /** A token URL that cannot be reached is worth naming. */
  #unreachable(failure: NetworkFailure, error: NotificationTestError): NotificationTestError {
    if (failure.kind !== 'network' || !UNREACHABLE.has(failure.code)) return error
    return new NotificationTestError({
      vendor: VENDOR,
      operation: OPERATION.name,
      // A name that does not resolve is a network failure for every vendor (the same exit code);
      // the message says which setting to check.
      kind: 'network',
      message: `${error.message} Check tenant (or baseUrl) and tokenUrl: the token URL ${this.#tokenUrl.href} cannot be reached.`,
      retryable: !MISCONFIGURED.has(failure.code),
      cause: error.cause,
    })
  }

  #invalidResponse(why: string): NotificationTestError {
    return new NotificationTestError({
      vendor: VENDOR,
      operation: OPERATION.name,
      kind: 'invalid_response',
      message: failedMessage(
        OPERATION,
        `the token endpoint at ${this.#tokenUrl.host} did not answer with a usable OAuth token (${redact(why)}). Check tokenUrl (now ${this.#tokenUrl.href}).`,
      ),
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
