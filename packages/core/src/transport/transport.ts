import type { Readable } from 'node:stream'
import type { AxiosInstance, AxiosResponse } from 'axios'
import { safeListener, type AdapterEvent, type AdapterEventListener } from '../adapter-events.js'
import type { Clock, Random } from '../clock.js'
import type { ConnectionOptions } from '../connection-options.js'
import { systemClock, systemRandom } from '../clock.js'
import type { Deadline } from '../deadline.js'
import { withMessage, withRetryable } from '../error-copies.js'
import { NotificationTestError } from '../error.js'
import type { Logger } from '../logger.js'
import { redactingLogger } from '../logger.js'
import { failedMessage, type Operation } from '../operations.js'
import type { RateLimiter } from '../rate-limiter.js'
import { redact } from '../redact.js'
import {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  mayRetry,
  type CallKind,
  type FailureFacts,
  type RetryPolicy,
} from '../retry-policy.js'
import { VERSION } from '../version.js'
import { formatDuration } from './format-duration.js'
import { RateLimitGate, type EndpointRateLimit } from './rate-limit-gate.js'
import { loadAxios } from './load-axios.js'
import { readBody } from './read-body.js'
import { wholeBodyFailure } from './whole-body-failure.js'
import { Connections, type ProxyRoute } from './connections.js'
import { classifyRequestFailure, type NetworkFailure } from './request-failure.js'
import { TargetUrl } from './target-url.js'
import { toVendorResponse, type AnswerForm, type VendorResponse } from './vendor-response.js'

/**
 * The adapter's hook: turns a non-2xx answer into a NotificationTestError. Its `retryable` must be
 * true only where the vendor itself says the call may be repeated (429, Apple 5000001): the
 * transport decides the rest from the call kind.
 */
export type ResponseErrorMapper = (
  response: VendorResponse,
  operation: Operation,
) => NotificationTestError

/**
 * The adapter's other hook: a network failure in its own terms (a token URL whose host does not
 * resolve is a configuration error). Called once retries are over, with the error the transport
 * would throw; returns the error to throw.
 */
export type NetworkFailureMapper = (
  failure: NetworkFailure,
  error: NotificationTestError,
) => NotificationTestError

export interface TransportOptions extends ConnectionOptions {
  readonly vendor: string
  readonly baseUrl: string
  /** The option the base URL came from, named if it is refused. */
  readonly baseUrlField?: string
  readonly mapError: ResponseErrorMapper
  readonly mapNetworkFailure?: NetworkFailureMapper
  readonly retry?: Partial<RetryPolicy>
  readonly clock?: Clock
  readonly random?: Random
  /** Shared by every transport that must share a budget (one Apple app's testers). */
  readonly rateLimiter?: RateLimiter
  readonly logger?: Logger
  /** Largest response body accepted (10 MiB). */
  readonly maxResponseBytes?: number
  /** The option or variable `proxy` came from, named if it is refused (`--proxy`). */
  readonly proxyField?: string | undefined
  /** Told of every retry, rate-limit wait and new connection, so no wait is silent. */
  readonly onEvent?: AdapterEventListener | undefined
}

const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024

export interface RequestSpec {
  readonly operation: Operation
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Appended to the base URL; must start with `/`. */
  readonly path: string
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>
  /** Sent as JSON. */
  readonly json?: unknown
  /** Sent as `application/x-www-form-urlencoded`. */
  readonly form?: URLSearchParams
  /**
   * `text` keeps the answer as text only (`json` undefined), for an adapter that parses bodies its
   * own way (GitHub's exact int64 ids): a page is then parsed once, not twice. Default `json`.
   */
  readonly answerAs?: AnswerForm
  /**
   * `stream` for one page of a long read (a notification history, a deliveries log): its body is
   * decoded as it arrives, so thousands of pages keep memory flat. Default `whole`: axios reads the
   * answer in one piece, which costs less per call. Both keep the same size limit and deadline, and
   * fail for the same reasons with the same errors.
   */
  readonly bodyRead?: BodyRead
  /** Headers made for each attempt, so a per-request JWT is fresh on every retry. */
  readonly headers?: () => Record<string, string> | Promise<Record<string, string>>
  /** A send is retried only when it provably never reached the vendor or the vendor allows it. */
  readonly callKind: CallKind
  readonly rateLimit?: EndpointRateLimit | undefined
  /** The public call's deadline: every attempt and wait of this request ends by it. */
  readonly deadline: Deadline
}

/** How an answer's body is read: whole, or streamed as it arrives (`RequestSpec.bodyRead`). */
export type BodyRead = 'whole' | 'stream'

type Attempt =
  | {
      readonly response: VendorResponse
      readonly error?: undefined
      readonly facts?: undefined
      readonly failure?: undefined
    }
  | {
      readonly response?: undefined
      readonly error: NotificationTestError
      readonly facts: FailureFacts
      /** Set when no answer came back. */
      readonly failure?: NetworkFailure
    }

/**
 * The HTTP client of one vendor host: keep-alive, the call's deadline, retries by the design's
 * rule, rate limits, and no leaks. The jobs it composes live beside it: the rate-limit gate, the
 * body reader, the failure classifier and the URL guard.
 */
export class Transport {
  readonly vendor: string
  readonly baseUrl: string
  readonly #target: TargetUrl
  readonly #options: TransportOptions
  readonly #policy: RetryPolicy
  readonly #clock: Clock
  readonly #random: Random
  readonly #gate: RateLimitGate
  readonly #logger: Logger | undefined
  readonly #connections: Connections
  /** Reads answers whole (most calls). */
  readonly #axios: AxiosInstance
  /** Streams answers to `readBody` (pages of long reads); made on first use. */
  #streamingAxios: AxiosInstance | undefined
  readonly #maxResponseBytes: number
  readonly #emit: (event: AdapterEvent) => void
  /** Whether the next attempt opens a connection: the first one, or one after a network failure. */
  #connecting = true

  constructor(options: TransportOptions) {
    this.vendor = options.vendor
    this.#target = new TargetUrl(options.vendor, options.baseUrl, options.baseUrlField ?? 'baseUrl')
    this.baseUrl = this.#target.baseUrl
    this.#options = options
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry }
    this.#clock = options.clock ?? systemClock
    this.#random = options.random ?? systemRandom
    this.#gate = new RateLimitGate(options.vendor, this.#clock, options.rateLimiter)
    this.#logger = options.logger === undefined ? undefined : redactingLogger(options.logger)
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    this.#emit = safeListener(options.onEvent, this.#logger)
    this.#connections = new Connections(new URL(this.baseUrl), {
      vendor: options.vendor,
      proxy: options.proxy,
      proxyField: options.proxyField,
      ca: options.ca,
    })
    this.#axios = this.#createAxios('text', this.#maxResponseBytes)
  }

  #createAxios(responseType: 'text' | 'stream', maxContentLength: number): AxiosInstance {
    return loadAxios().create({
      adapter: 'http',
      httpAgent: this.#connections.httpAgent,
      httpsAgent: this.#connections.httpsAgent,
      // Credentials go to the configured host only: no redirects. A proxy is the agent's job
      // (CONNECT), never axios's own, which would send requests to the proxy in clear.
      maxRedirects: 0,
      proxy: false,
      validateStatus: () => true,
      responseType,
      // A streamed body is bounded by `readBody`: axios's own limit on a stream wraps every
      // response in an async generator.
      maxContentLength,
      transformResponse: [(data: unknown) => data],
    })
  }

  /** Sends the request, retrying as the policy allows; resolves with a 2xx answer or throws. */
  async request(spec: RequestSpec): Promise<VendorResponse> {
    const url = this.#target.resolve(this.vendor, spec.operation, spec.path, spec.query)
    const { deadline } = spec
    if (deadline.aborted) throw this.#interrupted(spec)
    let lastError: NotificationTestError | undefined
    for (let attempt = 1; ; attempt++) {
      const slot = this.#gate.reserve(spec.rateLimit, spec.operation, deadline, lastError)
      if (slot > 0) {
        this.#logger?.debug(`waiting ${slot} ms for the rate limit of ${spec.operation.name}`)
        const at = this.#clock.now()
        this.#emit({
          type: 'rate-limit-wait',
          vendor: this.vendor,
          operation: spec.operation.name,
          at,
          source: this.#gate.waitSource(spec.rateLimit),
          delayMs: slot,
          until: at + slot,
        })
        await this.#wait(spec, slot)
      }
      if (this.#connecting) this.#announceConnection(spec)
      const { error, facts, failure, response } = await this.#attempt(spec, url)
      if (failure !== undefined && failure.kind !== 'invalid_response') this.#connecting = true
      if (response !== undefined) return response
      // By kind, not status: GitHub says it with 403 as often as 429.
      if (error.kind === 'rate_limited') this.#gate.rateLimited(spec.rateLimit, error.retryAfterMs)
      const retryable = mayRetry(spec.callKind, facts)
      const ownError = withRetryable(error, retryable)
      const { mapNetworkFailure } = this.#options
      const finalError =
        failure === undefined || mapNetworkFailure === undefined
          ? ownError
          : mapNetworkFailure(failure, ownError)
      lastError = finalError
      if (!retryable || attempt >= this.#policy.maxAttempts) throw finalError
      if (error.retryAfterMs !== undefined && error.retryAfterMs > this.#policy.maxRetryAfterMs) {
        throw withMessage(
          finalError,
          `${finalError.message} That wait (${formatDuration(error.retryAfterMs)}) is longer than the ${formatDuration(this.#policy.maxRetryAfterMs)} notiprobe waits for a retry, so it gave up: try again later.`,
        )
      }
      const delay = error.retryAfterMs ?? backoffDelay(attempt - 1, this.#policy, this.#random)
      if (this.#clock.now() + delay >= deadline.expiresAt) throw finalError
      this.#logger?.debug(`retrying ${spec.operation.name} in ${delay} ms`, {
        attempt,
        kind: error.kind,
      })
      const at = this.#clock.now()
      this.#emit({
        type: 'retry',
        vendor: this.vendor,
        operation: spec.operation.name,
        at,
        attempt,
        maxAttempts: this.#policy.maxAttempts,
        reason: { kind: error.kind, httpStatus: error.httpStatus, code: failure?.code },
        retryAfterMs: error.retryAfterMs,
        delayMs: delay,
        retryAt: at + delay,
      })
      await this.#wait(spec, delay)
    }
  }

  /** The proxy calls go through, if any (from the `proxy` option or the environment). */
  get proxy(): ProxyRoute | undefined {
    return this.#connections.proxy
  }

  #announceConnection(spec: RequestSpec): void {
    this.#connecting = false
    const proxy = this.#connections.proxy
    this.#emit({
      type: 'connecting',
      vendor: this.vendor,
      operation: spec.operation.name,
      at: this.#clock.now(),
      host: this.#target.host,
      proxy: proxy === undefined ? undefined : { display: proxy.display, source: proxy.source },
    })
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.#connections.destroy()
  }

  async #attempt(spec: RequestSpec, url: string): Promise<Attempt> {
    const made = spec.headers?.() ?? {}
    // Awaited only when it is a promise (a JWT to sign): a bearer token's headers are ready now.
    const headers = made instanceof Promise ? await made : made
    const started = this.#clock.now()
    this.#logger?.debug(`→ ${spec.method} ${spec.path}`, { operation: spec.operation.name })
    const streamed = spec.bodyRead === 'stream'
    let raw: AxiosResponse<Readable | string>
    let body: string
    try {
      const config = {
        url,
        method: spec.method,
        headers: requestHeaders(headers, spec),
        data: spec.json !== undefined ? JSON.stringify(spec.json) : spec.form?.toString(),
        // The deadline itself, not `deadline.signal`: axios and the body reader only listen.
        signal: spec.deadline,
      }
      if (streamed) {
        this.#streamingAxios ??= this.#createAxios('stream', -1)
        const answer = await this.#streamingAxios.request<Readable>(config)
        body = await readBody(answer.data, this.#maxResponseBytes, spec.deadline)
        raw = answer
      } else {
        const answer = await this.#axios.request<string>(config)
        body = answer.data
        raw = answer
      }
    } catch (caught) {
      return this.#networkError(
        spec,
        streamed ? caught : wholeBodyFailure(caught, this.#maxResponseBytes),
      )
    }
    const refusal = this.#connections.refusal(raw.request)
    if (refusal !== undefined) return this.#proxyRefused(spec, refusal)
    const response = toVendorResponse(raw, body, this.#clock.now(), spec.answerAs)
    this.#logger?.debug(`← ${response.status} ${spec.method} ${spec.path}`, {
      operation: spec.operation.name,
      ms: this.#clock.now() - started,
    })
    if (response.status >= 200 && response.status < 300) return { response }
    const error = this.#options.mapError(response, spec.operation)
    return {
      error,
      facts: {
        reach: 'answered',
        httpStatus: response.status,
        vendorSaysRetryable: error.retryable,
      },
    }
  }

  /** The proxy answered the CONNECT with an error: the vendor never saw the request. */
  #proxyRefused(spec: RequestSpec, status: number): Attempt {
    const proxy = this.#connections.proxy
    const where =
      proxy === undefined ? 'the proxy' : `the proxy ${proxy.display} (from ${proxy.source})`
    const why =
      status === 407
        ? 'it requires credentials it did not accept: put them in the proxy URL, http://user:password@host:port'
        : 'check that it allows CONNECT to this host and port'
    const error = new NotificationTestError({
      vendor: this.vendor,
      operation: spec.operation.name,
      kind: 'network',
      message: failedMessage(
        spec.operation,
        `${where} refused to open a tunnel to ${this.#target.host} (HTTP ${status}); ${why}. ${this.vendor} was not contacted.`,
      ),
    })
    // A proxy's 5xx may pass (it could not reach the vendor); its 4xx is its policy.
    return {
      error,
      facts: status >= 500 ? { reach: 'not_sent' } : { reach: 'answered', httpStatus: status },
    }
  }

  #networkError(spec: RequestSpec, caught: unknown): Attempt {
    if (spec.deadline.aborted) {
      const request = (caught as { request?: unknown } | null)?.request
      throw this.#interrupted(spec, this.#connections.reachedConnection(request))
    }
    const atProxy = this.#connections.failedBeforeTunnel((caught as { request?: unknown }).request)
    const failure = atProxy
      ? proxyFailure(classifyRequestFailure(caught))
      : classifyRequestFailure(caught)
    const proxy = this.#connections.proxy
    const peer =
      atProxy && proxy !== undefined
        ? `the proxy ${proxy.display} (from ${proxy.source}), before any tunnel to ${this.#target.host}`
        : this.#target.host
    const sendNote =
      spec.callKind === 'send' && failure.reach === 'unknown'
        ? ` The request may have reached ${this.vendor}; it was not repeated so that no duplicate test notification is sent. Check for it before sending again.`
        : ''
    // The cause is rebuilt from plain facts: an AxiosError holds the request and its headers.
    const message = caught instanceof Error ? caught.message : String(caught)
    const cause = Object.assign(new Error(redact(message)), { code: failure.code })
    const error = new NotificationTestError({
      vendor: this.vendor,
      operation: spec.operation.name,
      kind: failure.kind,
      message: failedMessage(
        spec.operation,
        `${failure.description} (${failure.code}) talking to ${peer}.${sendNote}`,
      ),
      cause,
    })
    return { error, failure, facts: { reach: failure.reach } }
  }

  /** A wait (rate limit, backoff) that the deadline or the caller can cut short. */
  async #wait(spec: RequestSpec, ms: number): Promise<void> {
    try {
      await this.#clock.sleep(ms, spec.deadline.signal)
    } catch {
      throw this.#interrupted(spec)
    }
  }

  /**
   * The call's deadline or its caller ended it. Only a request in flight on a connected socket may
   * have reached the vendor: one still connecting, or a wait between attempts (which follows
   * only an answer or a request that never left), sent nothing, so it is reported as a read.
   */
  #interrupted(spec: RequestSpec, inFlight = false): NotificationTestError {
    const callKind = inFlight ? spec.callKind : 'read'
    return interruptedError(this.vendor, spec.operation, spec.deadline, callKind)
  }
}

/**
 * One plain object per attempt, not instance defaults for axios to merge into it: axios merges
 * headers key by key, case-insensitively, on every request. The adapter's own headers win. Names
 * are in lower case (as HTTP/2 writes them; HTTP/1.1 ignores case): axios compares names by
 * lower-casing each, which makes a new string of every name that is not lower case already.
 */
function requestHeaders(own: Record<string, string>, spec: RequestSpec): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/json' }
  Object.assign(headers, own)
  if (spec.json !== undefined) headers['content-type'] = 'application/json'
  else if (spec.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
  return headers
}

const USER_AGENT = `notiprobe/${VERSION}`

/** Nothing went to the vendor before the tunnel existed: whatever broke, the request never left. */
function proxyFailure(failure: NetworkFailure): NetworkFailure {
  return failure.kind === 'network' ? { ...failure, reach: 'not_sent' } : failure
}

/**
 * The error of a call its deadline or its caller ended: `timeout` (a read may be retried later) or
 * `aborted`, saying for a send that the vendor may still have received it.
 */
export function interruptedError(
  vendor: string,
  operation: Operation,
  deadline: Deadline,
  callKind: CallKind,
  detail = '',
): NotificationTestError {
  const sendNote = callKind === 'send' ? ` ${vendor} may still have received the request.` : ''
  if (deadline.timedOut()) {
    return new NotificationTestError({
      vendor,
      operation: operation.name,
      kind: 'timeout',
      message: `${operation.label} did not finish within ${deadline.timeoutMs ?? 0} ms${detail}.${sendNote} Raise timeoutMs or try again later.`,
      retryable: callKind === 'read',
    })
  }
  return new NotificationTestError({
    vendor,
    operation: operation.name,
    kind: 'aborted',
    message: `${operation.label} was aborted by the caller${detail}.${sendNote}`,
  })
}
