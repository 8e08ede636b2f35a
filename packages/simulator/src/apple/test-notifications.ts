import { randomUUID } from 'node:crypto'
import type { AppleEnvironment } from './environment.js'
import type { SentNotificationsSource } from './history-sources.js'
import { newTestNotificationToken } from './identifiers.js'
import type { PayloadSigner } from './payload-signer.js'
import { postSignedPayload, type PostOutcome } from './post-signed-payload.js'
import type { SendAttempt, SendAttemptResult } from './send-attempt-result.js'

/** One delivery attempt as the simulator saw it: Apple's record plus the HTTP details. */
export interface DeliveryAttempt extends SendAttempt {
  url: string
  httpStatus?: number
  durationMs: number
  /** Why it failed (a Node error code or a short explanation). */
  detail?: string
}

/** A requested TEST notification and what became of it. */
export interface TestNotificationRecord {
  testNotificationToken: string
  notificationUUID: string
  requestedAt: number
  /** Where it is (or was) delivered: the notification URL when it was requested. */
  url: string
  signedPayload: string
  /** `pending` until the first attempt is recorded; `retrying` while production retries remain. */
  state: 'pending' | 'delivered' | 'failed' | 'retrying'
  attempts: DeliveryAttempt[]
}

export interface TestNotificationServiceOptions {
  signer: PayloadSigner
  history: SentNotificationsSource
  now: () => number
  environment: AppleEnvironment
  bundleId: string
  appAppleId: number
  deliveryDelayMs: number
  deliveryTimeoutMs: number
  /** Production only: delays before each retry after a failed attempt (Apple: 1, 12, 24, 48, 72 h). */
  retryDelaysMs: readonly number[]
}

/**
 * Requests, signs and really delivers TEST notifications, recording every attempt with Apple's
 * result codes. Sandbox sends once; production retries on the configured schedule.
 */
export class TestNotificationService {
  readonly #options: TestNotificationServiceOptions
  readonly #records = new Map<string, TestNotificationRecord>()
  readonly #sendAttempts = new Map<string, SendAttempt[]>()
  readonly #timers = new Set<NodeJS.Timeout>()
  readonly #inFlight = new Set<Promise<void>>()
  /**
   * One controller per delivery in flight, aborted by close(). Not one signal shared by all: each
   * delivery listens for its abort, and a shared signal with more than ten deliveries in flight
   * makes Node warn of a listener leak (MaxListenersExceededWarning).
   */
  readonly #deliveries = new Set<AbortController>()
  #closed = false

  constructor(options: TestNotificationServiceOptions) {
    this.#options = options
  }

  /** Signs a TEST notification for `url` and schedules its delivery; resolves to its token. */
  async request(url: string): Promise<string> {
    const { now, environment, bundleId, appAppleId, signer } = this.#options
    const signedDate = now()
    const notificationUUID = randomUUID()
    const signedPayload = await signer.sign({
      notificationType: 'TEST',
      notificationUUID,
      data: {
        // Apple includes the app's Apple ID only in production notifications.
        ...(environment === 'Production' ? { appAppleId } : {}),
        bundleId,
        environment,
      },
      version: '2.0',
      signedDate,
    })
    const token = newTestNotificationToken(signedDate)
    const record: TestNotificationRecord = {
      testNotificationToken: token,
      notificationUUID,
      requestedAt: signedDate,
      url,
      signedPayload,
      state: 'pending',
      attempts: [],
    }
    this.#records.set(token, record)
    this.#sendAttempts.set(token, [])
    this.#schedule(record, this.#options.deliveryDelayMs)
    return token
  }

  /** Apple's view: undefined (4040008) until the first attempt is recorded. */
  status(token: string): { signedPayload: string; sendAttempts: SendAttempt[] } | undefined {
    const record = this.#records.get(token)
    const attempts = this.#sendAttempts.get(token)
    if (record === undefined || attempts === undefined || attempts.length === 0) return undefined
    return { signedPayload: record.signedPayload, sendAttempts: attempts.map((a) => ({ ...a })) }
  }

  list(): TestNotificationRecord[] {
    return [...this.#records.values()].map((record) => ({
      ...record,
      attempts: record.attempts.map((attempt) => ({ ...attempt })),
    }))
  }

  /** Cancels scheduled attempts and aborts those in flight; resolves once they have stopped. */
  async close(): Promise<void> {
    this.#closed = true
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    for (const delivery of this.#deliveries) delivery.abort()
    await Promise.all(this.#inFlight)
  }

  #schedule(record: TestNotificationRecord, delayMs: number): void {
    if (this.#closed) return
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      const attempt = this.#attempt(record).finally(() => this.#inFlight.delete(attempt))
      this.#inFlight.add(attempt)
    }, delayMs)
    this.#timers.add(timer)
  }

  async #attempt(record: TestNotificationRecord): Promise<void> {
    const { now, deliveryTimeoutMs, retryDelaysMs, environment, history } = this.#options
    const attemptDate = now()
    const delivery = new AbortController()
    this.#deliveries.add(delivery)
    let outcome: PostOutcome
    try {
      outcome = await postSignedPayload(record.url, record.signedPayload, {
        timeoutMs: deliveryTimeoutMs,
        signal: delivery.signal,
      })
    } finally {
      this.#deliveries.delete(delivery)
    }
    // Closing mid-attempt leaves no trace: the attempt did not complete.
    if (this.#closed) return
    const result: SendAttemptResult = outcome.result
    const attempt: DeliveryAttempt = {
      attemptDate,
      sendAttemptResult: result,
      url: outcome.url,
      durationMs: outcome.durationMs,
      ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
      ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
    }
    const sendAttempts = this.#sendAttempts.get(record.testNotificationToken) ?? []
    const first = sendAttempts.length === 0
    record.attempts.push(attempt)
    sendAttempts.push({ attemptDate, sendAttemptResult: result })
    if (first) {
      // History holds the same array, so later attempts show there too.
      history.add({
        signedDate: record.requestedAt,
        notificationType: 'TEST',
        signedPayload: record.signedPayload,
        sendAttempts,
      })
    }
    const retriesLeft =
      environment === 'Production' && result !== 'SUCCESS'
        ? retryDelaysMs[record.attempts.length - 1]
        : undefined
    if (result === 'SUCCESS') record.state = 'delivered'
    else if (retriesLeft === undefined) record.state = 'failed'
    else {
      record.state = 'retrying'
      this.#schedule(record, retriesLeft)
    }
  }
}
