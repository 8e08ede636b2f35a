import http from 'node:http'
import https from 'node:https'
import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import axios, { type AxiosInstance, type AxiosResponse } from 'axios'
import type { Clock, Random } from './clock.js'
import { systemClock, systemRandom } from './clock.js'
import { checkBaseUrl } from './base-url.js'
import { createDeadline, type Deadline } from './deadline.js'
import { NotificationTestError } from './error.js'
import type { Logger } from './logger.js'
import { redactingLogger } from './logger.js'
import { classifyNetworkFailure } from './network-failure.js'
import { RateLimiter, type RateLimit } from './rate-limiter.js'
import { redact } from './redact.js'
import { parseRetryAfter } from './retry-after.js'
import {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  mayRetry,
  type CallKind,
  type FailureFacts,
  type RetryPolicy,
} from './retry-policy.js'
import { VERSION } from './version.js'

/** An HTTP answer from the vendor, body kept as text and parsed as JSON where it is JSON. */
export interface VendorResponse {
  readonly status: number
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  readonly json: unknown
  /** From `Retry-After`, in whatever form the vendor sent it. */
  readonly retryAfterMs: number | undefined
}

/**
 * The adapter's hook: turns a non-2xx answer into a NotificationTestError. Its `retryable` must be
 * true only where the vendor itself says the call may be repeated (429, Apple 5000001): the
 * transport decides the rest from the call kind.
 */
export type ResponseErrorMapper = (
  response: VendorResponse,
  operation: string,
) => NotificationTestError

export interface TransportOptions {
  readonly vendor: string
  readonly baseUrl: string
  /** The option the base URL came from, named if it is refused. */
  readonly baseUrlField?: string
  readonly mapError: ResponseErrorMapper
  /** Default deadline of each call, retries included (30 s). */
  readonly timeoutMs?: number
  readonly retry?: Partial<RetryPolicy>
  readonly clock?: Clock
  readonly random?: Random
  readonly rateLimiter?: RateLimiter
  readonly logger?: Logger
  /** Largest response body accepted (10 MiB). */
  readonly maxResponseBytes?: number
}

const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024

export interface RequestSpec {
  /** Named in errors and logs: `apple.requestTestNotification`. */
  readonly operation: string
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Appended to the base URL; must start with `/`. */
  readonly path: string
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>
  /** Sent as JSON. */
  readonly json?: unknown
  /** Sent as `application/x-www-form-urlencoded`. */
  readonly form?: URLSearchParams
  /** Headers made for each attempt, so a per-request JWT is fresh on every retry. */
  readonly headers?: () => Record<string, string> | Promise<Record<string, string>>
  /** A send is retried only when it provably never reached the vendor or the vendor allows it. */
  readonly callKind: CallKind
  /** The vendor's limit for this endpoint; calls wait for a slot, and a 429 holds the key back. */
  readonly rateLimit?: { readonly key: string; readonly limit: RateLimit } | undefined
  readonly signal?: AbortSignal | undefined
  readonly timeoutMs?: number | undefined
}

/** The HTTP client of one vendor client: keep-alive, deadlines, retries, rate limits, no leaks. */
export class Transport {
  readonly vendor: string
  readonly baseUrl: string
  readonly #origin: string
  readonly #options: TransportOptions
  readonly #policy: RetryPolicy
  readonly #clock: Clock
  readonly #random: Random
  readonly #limiter: RateLimiter
  readonly #logger: Logger | undefined
  readonly #httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  readonly #httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 })
  readonly #axios: AxiosInstance
  readonly #maxResponseBytes: number

  constructor(options: TransportOptions) {
    this.vendor = options.vendor
    this.baseUrl = checkBaseUrl(options.baseUrl, {
      vendor: options.vendor,
      operation: `${options.vendor}.configure`,
      field: options.baseUrlField ?? 'baseUrl',
    })
    this.#origin = new URL(this.baseUrl).origin
    this.#options = options
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry }
    this.#clock = options.clock ?? systemClock
    this.#random = options.random ?? systemRandom
    this.#limiter = options.rateLimiter ?? new RateLimiter(this.#clock)
    this.#logger = options.logger === undefined ? undefined : redactingLogger(options.logger)
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    this.#axios = axios.create({
      adapter: 'http',
      httpAgent: this.#httpAgent,
      httpsAgent: this.#httpsAgent,
      // Credentials go to the configured host only: no redirects, no proxy from the environment.
      maxRedirects: 0,
      proxy: false,
      validateStatus: () => true,
      // The body is read by `readBody`, decoded as it arrives. With 'text', axios keeps every
      // response as Buffer chunks until it ends: external memory that only a full GC frees, so a
      // long history read grew the process by tens of MiB. `readBody` also enforces the size limit
      // (axios's own check on a stream would add an async generator to every response).
      responseType: 'stream',
      maxContentLength: -1,
      transformResponse: [(data: unknown) => data],
      headers: { 'User-Agent': `notiprobe/${VERSION}`, Accept: 'application/json' },
    })
  }

  /** Sends the request, retrying as the policy allows; resolves with a 2xx answer or throws. */
  async request(spec: RequestSpec): Promise<VendorResponse> {
    const url = this.#url(spec)
    const deadline = createDeadline(spec, this.#clock, this.#options.timeoutMs ?? 30_000)
    let lastError: NotificationTestError | undefined
    try {
      for (let attempt = 1; ; attempt++) {
        await this.#awaitRateLimitSlot(spec, deadline, lastError)
        const { error, facts, response } = await this.#attempt(spec, url, deadline)
        if (response !== undefined) return response
        if (error.httpStatus === 429 && spec.rateLimit !== undefined) {
          this.#limiter.block(spec.rateLimit.key, this.#clock.now() + (error.retryAfterMs ?? 1000))
        }
        const retryable = mayRetry(spec.callKind, facts)
        const finalError = withRetryable(error, retryable)
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
        this.#logger?.debug(`retrying ${spec.operation} in ${delay} ms`, {
          attempt,
          kind: error.kind,
        })
        await this.#wait(spec, deadline, () => this.#clock.sleep(delay, deadline.signal))
      }
    } finally {
      deadline.dispose()
    }
  }

  /**
   * Waits for the endpoint's rate-limit slot. A slot beyond the deadline is not waited for: a retry
   * reports the error that caused it, a first attempt says the limit leaves no time.
   */
  async #awaitRateLimitSlot(
    spec: RequestSpec,
    deadline: Deadline,
    lastError: NotificationTestError | undefined,
  ): Promise<void> {
    if (spec.rateLimit === undefined) return
    // A slot past the deadline is not reserved: the call is not made, so it spends no budget.
    const remaining = deadline.expiresAt - this.#clock.now()
    const wait = this.#limiter.reserve(spec.rateLimit.key, spec.rateLimit.limit, remaining)
    if (wait <= 0) return
    if (this.#clock.now() + wait >= deadline.expiresAt) {
      if (lastError !== undefined) throw lastError
      const blockedUntil = this.#limiter.blockedUntil(spec.rateLimit.key)
      if (blockedUntil > 0) {
        throw new NotificationTestError({
          vendor: this.vendor,
          operation: spec.operation,
          kind: 'rate_limited',
          message: `${spec.operation} was not sent: ${this.vendor} answered an earlier call on this endpoint with 429 and asked to wait until ${formatInstant(blockedUntil)}, past this call's deadline. Call again after that.`,
          retryable: true,
          retryAfterMs: blockedUntil - this.#clock.now(),
        })
      }
      throw new NotificationTestError({
        vendor: this.vendor,
        operation: spec.operation,
        kind: 'timeout',
        message: `${spec.operation} would have to wait ${formatDuration(wait)} for ${this.vendor}'s rate limit on this endpoint, past the call's deadline; nothing was sent. Raise timeoutMs or call again later.`,
        retryable: true,
      })
    }
    this.#logger?.debug(`waiting ${wait} ms for the rate limit of ${spec.operation}`)
    await this.#wait(spec, deadline, () => this.#clock.sleep(wait, deadline.signal))
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.#httpAgent.destroy()
    this.#httpsAgent.destroy()
  }

  #url(spec: RequestSpec): string {
    const url = new URL(this.baseUrl + spec.path)
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value))
    }
    // A path can never move the request (and its credentials) to another host.
    if (!spec.path.startsWith('/') || url.origin !== this.#origin) {
      throw new NotificationTestError({
        vendor: this.vendor,
        operation: spec.operation,
        kind: 'invalid_input',
        message: `Refused to send ${spec.operation} outside ${this.#origin}.`,
      })
    }
    return url.href
  }

  async #attempt(
    spec: RequestSpec,
    url: string,
    deadline: Deadline,
  ): Promise<
    | { response: VendorResponse; error?: undefined; facts?: undefined }
    | { response?: undefined; error: NotificationTestError; facts: FailureFacts }
  > {
    const headers = spec.headers === undefined ? {} : await spec.headers()
    const started = this.#clock.now()
    this.#logger?.debug(`→ ${spec.method} ${spec.path}`, { operation: spec.operation })
    let raw: AxiosResponse<Readable>
    let body: string
    try {
      raw = await this.#axios.request<Readable>({
        url,
        method: spec.method,
        headers: {
          ...headers,
          ...(spec.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(spec.form !== undefined
            ? { 'Content-Type': 'application/x-www-form-urlencoded' }
            : {}),
        },
        data: spec.json !== undefined ? JSON.stringify(spec.json) : spec.form?.toString(),
        signal: deadline.signal,
      })
      body = await readBody(raw.data, this.#maxResponseBytes, deadline.signal)
    } catch (caught) {
      return this.#networkError(spec, caught, deadline)
    }
    const response = toVendorResponse(raw, body, this.#clock.now())
    this.#logger?.debug(`← ${response.status} ${spec.method} ${spec.path}`, {
      operation: spec.operation,
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

  #networkError(
    spec: RequestSpec,
    caught: unknown,
    deadline: Deadline,
  ): { error: NotificationTestError; facts: FailureFacts } {
    if (deadline.signal.aborted) throw this.#interrupted(spec, deadline)
    const code = (caught as { code?: unknown }).code
    const message = caught instanceof Error ? caught.message : String(caught)
    const failure = classifyNetworkFailure(typeof code === 'string' ? code : undefined, message)
    const host = new URL(this.baseUrl).host
    const sendNote =
      spec.callKind === 'send' && failure.reach === 'unknown'
        ? ` The request may have reached ${this.vendor}; it was not repeated so that no duplicate test notification is sent. Check for it before sending again.`
        : ''
    // The cause is rebuilt from plain facts: an AxiosError holds the request and its headers.
    const cause = Object.assign(new Error(redact(message)), { code: failure.code })
    const error = new NotificationTestError({
      vendor: this.vendor,
      operation: spec.operation,
      kind: failure.kind,
      message: `${spec.operation} failed: ${failure.description} (${failure.code}) talking to ${host}.${sendNote}`,
      cause,
    })
    return { error, facts: { reach: failure.reach } }
  }

  /** Runs a wait (rate limit, backoff) that the deadline or the caller can cut short. */
  async #wait(spec: RequestSpec, deadline: Deadline, wait: () => Promise<void>): Promise<void> {
    try {
      await wait()
    } catch {
      throw this.#interrupted(spec, deadline)
    }
  }

  #interrupted(spec: RequestSpec, deadline: Deadline): NotificationTestError {
    const sendNote =
      spec.callKind === 'send' ? ` ${this.vendor} may still have received the request.` : ''
    if (deadline.timedOut()) {
      const limit = spec.timeoutMs ?? this.#options.timeoutMs ?? 30_000
      return new NotificationTestError({
        vendor: this.vendor,
        operation: spec.operation,
        kind: 'timeout',
        message: `${spec.operation} did not finish within ${limit} ms.${sendNote} Raise timeoutMs or try again later.`,
        retryable: spec.callKind === 'read',
      })
    }
    return new NotificationTestError({
      vendor: this.vendor,
      operation: spec.operation,
      kind: 'aborted',
      message: `${spec.operation} was aborted by the caller.${sendNote}`,
    })
  }
}

/** An instant as ISO 8601, or as a number when no Date can hold it. */
function formatInstant(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms`
}

/** "500 ms", "60 s", "1.5 s" */
function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`
}

/**
 * Reads a response body as UTF-8 text, decoding each chunk as it arrives so that no chunk outlives
 * its read. Fails, destroying the stream (and so its connection), once the body passes `maxBytes`,
 * or when `signal` aborts. The errors carry the codes and messages axios gave when it read the body
 * itself, so that they are classified, and reported, exactly as before.
 */
function readBody(stream: Readable, maxBytes: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8')
    let text = ''
    let bytes = 0
    const settle = (error: unknown, value = ''): void => {
      stream.off('data', onData)
      stream.off('end', onEnd)
      stream.off('error', onError)
      stream.off('aborted', onAborted)
      signal.removeEventListener('abort', onAbort)
      if (error === undefined) resolve(value)
      else reject(error instanceof Error ? error : new Error('the response could not be read'))
    }
    const fail = (error: Error): void => {
      settle(error)
      // Destroying may emit more ('aborted', an error): the read is settled, and nothing is unhandled.
      stream.on('error', ignore)
      stream.destroy()
    }
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length
      if (bytes > maxBytes) fail(responseError(`maxContentLength size of ${maxBytes} exceeded`))
      else text += decoder.write(chunk)
    }
    const onEnd = (): void => {
      text += decoder.end()
      // As axios did: a UTF-8 byte order mark is not part of the text.
      settle(undefined, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
    }
    const onError = (error: unknown): void => {
      settle(error)
    }
    // The connection closed before the body ended (Node's IncomingMessage says so first).
    const onAborted = (): void => {
      fail(responseError('stream has been aborted'))
    }
    const onAbort = (): void => {
      fail(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
    }
    if (signal.aborted) {
      onAbort()
      return
    }
    signal.addEventListener('abort', onAbort, { once: true })
    stream.on('data', onData)
    stream.on('end', onEnd)
    stream.on('error', onError)
    stream.on('aborted', onAborted)
  })
}

function responseError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_BAD_RESPONSE' })
}

function ignore(): void {
  // An error after the read has already failed adds nothing.
}

function toVendorResponse(raw: AxiosResponse, body: string, now: number): VendorResponse {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw.headers as Record<string, unknown>)) {
    if (value !== undefined && value !== null) {
      headers[name.toLowerCase()] = Array.isArray(value)
        ? value.join(', ')
        : `${value as string | number}`
    }
  }
  return {
    status: raw.status,
    headers,
    body,
    json: parseJson(body),
    retryAfterMs: parseRetryAfter(headers['retry-after'], now),
  }
}

function parseJson(body: string): unknown {
  const trimmed = body.trim()
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined
  try {
    return JSON.parse(trimmed) as unknown
  } catch {
    return undefined
  }
}

/** How much of a body an excerpt looks at: a bound on the work, whatever the body's size. */
const EXCERPT_WINDOW_CHARS = 16_384

/**
 * A short, single-line excerpt of a body that is not the vendor's JSON (a proxy's HTML error page):
 * tags, scripts and styles removed, whitespace collapsed. Reads only the body's first 16 KiB, in
 * one pass: hostile bodies (`<<<<…`, an unclosed `<script`) cost no more than any other.
 */
export function bodyExcerpt(body: string, maxChars = 200): string | undefined {
  const window = body.slice(0, EXCERPT_WINDOW_CHARS)
  const lower = window.toLowerCase()
  const parts: string[] = []
  let at = 0
  while (at < window.length) {
    const open = window.indexOf('<', at)
    if (open === -1) {
      parts.push(window.slice(at))
      break
    }
    parts.push(window.slice(at, open), ' ')
    const raw = RAW_TEXT_ELEMENTS.find((name) => lower.startsWith(`<${name}`, open))
    const end = raw === undefined ? open : lower.indexOf(`</${raw}`, open)
    // An unclosed tag or script hides the rest of the window.
    const close = end === -1 ? -1 : window.indexOf('>', end + 1)
    if (close === -1) break
    at = close + 1
  }
  const text = parts.join('').replace(/\s+/g, ' ').trim()
  if (text === '') return undefined
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text
}

const RAW_TEXT_ELEMENTS = ['script', 'style'] as const

/** A copy of `error` with another `retryable`. */
export function withRetryable(
  error: NotificationTestError,
  retryable: boolean,
): NotificationTestError {
  if (error.retryable === retryable) return error
  return new NotificationTestError({ ...error.toJSON(), retryable, cause: error.cause })
}

/** A copy of `error` with another message. */
export function withMessage(error: NotificationTestError, message: string): NotificationTestError {
  return new NotificationTestError({ ...error.toJSON(), message, cause: error.cause })
}
