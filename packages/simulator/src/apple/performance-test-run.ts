import { randomUUID } from 'node:crypto'
import type { PayloadSigner } from './payload-signer.js'
import { postSignedPayload, type PostOutcome } from './post-signed-payload.js'
import { summarizeResponseTimes, type ResponseTimes } from './response-time-stats.js'
import type { SendAttemptResult } from './send-attempt-result.js'

/** Apple's `PerformanceTestConfig`; durations in milliseconds, the threshold in percent. */
export interface PerformanceTestConfig {
  maxConcurrentRequests: number
  totalRequests: number
  totalDuration: number
  responseTimeThreshold: number
  successRateThreshold: number
}

export type PerformanceTestStatus = 'PENDING' | 'PASS' | 'FAIL'

/** Apple's `PerformanceTestResultResponse`. */
export interface PerformanceTestResult {
  config: PerformanceTestConfig
  target: string
  result: PerformanceTestStatus
  successRate: number
  numPending: number
  responseTimes: ResponseTimes
  failures: Partial<Record<SendAttemptResult, number>>
}

export interface PerformanceTestRunOptions {
  requestId: string
  originalTransactionId: string
  target: string
  config: PerformanceTestConfig
  signer: PayloadSigner
  now: () => number
  appAppleId: number
  productId: string
  userLocale: string
}

/**
 * The keys of which a realtime answer must hold one (Get Retention Message response body);
 * `advancedCommerceInfo` is Retention Messaging 1.5's (Apple's libraries, 2026-05).
 */
const ANSWER_KEYS = [
  'message',
  'alternateProduct',
  'promotionalOffer',
  'advancedCommerceInfo',
] as const
const ANSWER_LIMIT_BYTES = 64 * 1024

function isRetentionAnswer(body: Buffer | undefined): boolean {
  if (body === undefined) return false
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch {
    return false
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false
  const answer = parsed as Record<string, unknown>
  return ANSWER_KEYS.some((key) => typeof answer[key] === 'object' && answer[key] !== null)
}

/**
 * One performance test: `totalRequests` signed realtime requests to the target, at most
 * `maxConcurrentRequests` in flight, each given `responseTimeThreshold` ms to answer. A request
 * succeeds on an HTTP 2xx (200 to 206) with a JSON body holding `message`, `alternateProduct`,
 * `promotionalOffer` or `advancedCommerceInfo` within the threshold; another body is
 * INVALID_RESPONSE. When
 * `totalDuration` runs out, requests in flight time out and those not yet sent count as TIMED_OUT.
 * PASS needs a success rate (over all requests) of at least `successRateThreshold` percent.
 */
export class PerformanceTestRun {
  readonly requestId: string
  readonly originalTransactionId: string
  readonly target: string
  readonly config: PerformanceTestConfig
  readonly startedAt: number
  finishedAt: number | undefined
  /** The most requests that were in flight at once, for inspection. */
  maxInFlight = 0
  /** Set when the run broke off on an unexpected error. */
  error: string | undefined
  readonly done: Promise<void>

  readonly #options: PerformanceTestRunOptions
  /**
   * One controller per request in flight, aborted by abort(). Not one signal shared by all: with
   * more than ten concurrent requests, Node would warn of a listener leak on it.
   */
  readonly #requests = new Set<AbortController>()
  #aborted = false
  readonly #responseTimes: number[] = []
  readonly #failures = new Map<SendAttemptResult, number>()
  #successes = 0
  #finished = 0
  #inFlight = 0

  constructor(options: PerformanceTestRunOptions) {
    this.#options = options
    this.requestId = options.requestId
    this.originalTransactionId = options.originalTransactionId
    this.target = options.target
    this.config = { ...options.config }
    this.startedAt = options.now()
    // A failure inside the run (it has none planned) must end it, not leave it PENDING forever.
    this.done = this.#run().catch((error: unknown) => {
      this.error = error instanceof Error ? error.message : String(error)
      this.finishedAt ??= options.now()
    })
  }

  get pending(): boolean {
    return this.finishedAt === undefined
  }

  result(): PerformanceTestResult {
    const { totalRequests, successRateThreshold } = this.config
    const basis = this.pending ? this.#finished : totalRequests
    const status: PerformanceTestStatus = this.pending
      ? 'PENDING'
      : this.#successes * 100 >= successRateThreshold * totalRequests
        ? 'PASS'
        : 'FAIL'
    return {
      config: { ...this.config },
      target: this.target,
      result: status,
      // Whole percent, rounded down so a result never looks better than it was.
      successRate: basis === 0 ? 0 : Math.floor((this.#successes * 100) / basis),
      numPending: totalRequests - this.#finished,
      responseTimes: summarizeResponseTimes(this.#responseTimes),
      failures: Object.fromEntries(this.#failures),
    }
  }

  /** Stops the run (simulator closing): nothing more is sent, in-flight requests are aborted. */
  async abort(): Promise<void> {
    this.#aborted = true
    for (const request of this.#requests) request.abort()
    await this.done
  }

  async #run(): Promise<void> {
    const { totalRequests, maxConcurrentRequests, totalDuration } = this.config
    const deadline = performance.now() + totalDuration
    let next = 0
    const worker = async (): Promise<void> => {
      while (!this.#aborted && performance.now() < deadline) {
        if (next++ >= totalRequests) return
        await this.#send(deadline)
      }
    }
    const workers = Math.max(1, Math.min(maxConcurrentRequests, totalRequests))
    await Promise.all(Array.from({ length: workers }, worker))
    if (this.#aborted) return
    // Out of time: what was never sent counts as timed out.
    const unsent = totalRequests - this.#finished
    if (unsent > 0) this.#record('TIMED_OUT', undefined, unsent)
    this.finishedAt = this.#options.now()
  }

  async #send(deadline: number): Promise<void> {
    const { signer, now, appAppleId, productId, userLocale } = this.#options
    const signedPayload = await signer.sign({
      originalTransactionId: this.originalTransactionId,
      appAppleId,
      productId,
      userLocale,
      requestIdentifier: randomUUID(),
      environment: 'Sandbox',
      signedDate: now(),
    })
    this.#inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight)
    const remaining = Math.max(1, Math.floor(deadline - performance.now()))
    const timeoutMs = Math.min(this.config.responseTimeThreshold, remaining)
    const request = new AbortController()
    this.#requests.add(request)
    // abort() may have come while the payload was being signed.
    if (this.#aborted) request.abort()
    let outcome: PostOutcome
    try {
      outcome = await postSignedPayload(this.target, signedPayload, {
        timeoutMs,
        signal: request.signal,
        readBodyLimitBytes: ANSWER_LIMIT_BYTES,
      })
    } finally {
      this.#requests.delete(request)
      this.#inFlight--
    }
    if (this.#aborted) return
    let result = outcome.result
    if (result === 'SUCCESS' && !isRetentionAnswer(outcome.body)) result = 'INVALID_RESPONSE'
    if (result === 'SUCCESS' && outcome.durationMs > this.config.responseTimeThreshold) {
      result = 'TIMED_OUT'
    }
    // Timers may fire a fraction of a millisecond early; a timed-out request took its full time.
    const durationMs =
      result === 'TIMED_OUT' ? Math.max(outcome.durationMs, timeoutMs) : outcome.durationMs
    this.#record(result, durationMs, 1)
  }

  #record(result: SendAttemptResult, durationMs: number | undefined, count: number): void {
    this.#finished += count
    if (durationMs !== undefined) this.#responseTimes.push(durationMs)
    if (result === 'SUCCESS') this.#successes += count
    else this.#failures.set(result, (this.#failures.get(result) ?? 0) + count)
  }
}
