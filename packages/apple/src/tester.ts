import { inspect } from 'node:util'
import {
  NotificationTestError,
  isNotificationTestError,
  type CallOptions,
  type NotificationTester,
  type SendOptions,
  type TestTicket,
} from '@notiprobe/core'
import {
  createDeadline,
  parseCallOptions,
  parseWith,
  systemClock,
  withDeadline,
  type Clock,
  type Deadline,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import { AppleApi } from './api-client.js'
import { APPLE_ENVIRONMENTS, type AppleEnvironment } from './environment.js'
import { TEST_NOTIFICATION_NOT_FOUND } from './error-codes.js'
import { expected } from './fields.js'
import {
  checkNotificationHistoryRequest,
  iterateNotificationHistory,
  type AppleNotificationHistoryRequest,
  type NotificationHistoryBody,
} from './history.js'
import { applePollIntervalMs, type AppleRateLimits } from './hosts.js'
import type { AppleNotificationPayload } from './notification-payload.js'
import { APPLE_OPERATIONS } from './operations.js'
import { appleTesterOptionsSchema, type AppleTesterOptions } from './options.js'
import {
  checkPerformanceTestRequest,
  checkPerformanceTestRequestId,
  getPerformanceTestResults,
  initiatePerformanceTest,
  parseWaitOptions,
  waitForPerformanceTest,
  type ApplePerformanceTestRequest,
  type WaitForPerformanceTestOptions,
} from './performance-test.js'
import { loadPrivateKey } from './private-key.js'
import {
  sendTestNotificationResponseSchema,
  testNotificationStatusSchema,
  type AppleNotificationHistoryRecord,
  type ApplePerformanceTestResult,
  type ApplePerformanceTestStart,
  type AppleTestNotificationStatus,
} from './responses.js'
import {
  EvidenceClaims,
  outcomeFromStatus,
  pendingOutcome,
  type AppleTestOutcome,
  type AppleTestTicket,
} from './test-notification.js'
import { quoteUntrusted } from './untrusted-text.js'
import {
  createSignedPayloadVerifier,
  prepareSignatureChecks,
  type SignedPayloadVerifier,
} from './verify-signed-payload.js'

/** Apple's test notification, its status and history, and the Retention Messaging performance test. */
export interface AppleTester extends NotificationTester<
  SendOptions,
  AppleTestTicket,
  AppleNotificationPayload
> {
  readonly vendor: 'apple'
  readonly environment: AppleEnvironment
  readonly bundleId: string
  /** Where calls go (the performance test always to Sandbox unless `baseUrl` was given). */
  readonly baseUrl: string
  /**
   * Time between status checks: 1 000 ms with `rateLimits: 'hourly'` (the rate limiter waits longer
   * when the hour's budget runs low), 10 000 ms in Sandbox with `'per-second'`, 250 ms with `'off'`.
   */
  readonly pollIntervalMs: number
  /** Request a Test Notification. Never repeated once the request may have reached Apple. */
  send(options?: SendOptions): Promise<AppleTestTicket>
  /** Get Test Notification Status, read: `pending`, `delivered` (verified) or `failed`. */
  check(ticket: TestTicket, options?: CallOptions): Promise<AppleTestOutcome>
  /** Get Test Notification Status as Apple answers it (the payload not verified). */
  getTestNotificationStatus(
    token: string,
    options?: CallOptions,
  ): Promise<AppleTestNotificationStatus>
  /** Get Notification History: every record of every page. The request is checked when called. */
  notificationHistory(
    request: AppleNotificationHistoryRequest,
    options?: CallOptions,
  ): AsyncIterableIterator<AppleNotificationHistoryRecord>
  /** Initiate Performance Test (Sandbox). */
  initiatePerformanceTest(
    request: ApplePerformanceTestRequest,
    options?: CallOptions,
  ): Promise<ApplePerformanceTestStart>
  /** Get Performance Test Results (Sandbox). */
  getPerformanceTestResults(
    requestId: string,
    options?: CallOptions,
  ): Promise<ApplePerformanceTestResult>
  /** Checks the results until they leave `PENDING`; returns `PASS` and `FAIL` alike. */
  waitForPerformanceTest(
    requestId: string,
    options?: WaitForPerformanceTestOptions,
  ): Promise<ApplePerformanceTestResult>
  /** Verifies a signed payload for this tester's app, environment and roots. */
  verifySignedPayload(signedPayload: string): Promise<AppleNotificationPayload>
  /** Closes idle keep-alive connections. */
  close(): void
}

/**
 * Apple's tokens look like `<uuid>_<digits>`. Only characters that need no encoding, and never a
 * dot: `.` and `..` would be path segments that URL normalisation resolves to another endpoint.
 */
const tokenSchema = z.string(expected('the testNotificationToken that send() returned')).check(
  z.trim(),
  z.regex(/^(?=[^A-Za-z0-9]*[A-Za-z0-9])[A-Za-z0-9_-]{1,256}$/, {
    error: 'expected the testNotificationToken that send() returned',
  }),
)

/** What `check` accepts: an Apple ticket, as `send()` returned it (or as stored and read back). */
const ticketSchema = z.lazy(() =>
  z.looseObject(
    {
      vendor: z.literal('apple', {
        error: (issue) => `it is a ${quoteUntrusted(issue.input, 40)} ticket, not an Apple one`,
      }),
      id: z.string(expected('the testNotificationToken that send() returned')),
      requestedAt: z.number(expected('epoch milliseconds')),
      details: z.optional(
        z.looseObject({
          environment: z.optional(z.enum(APPLE_ENVIRONMENTS, expected('Sandbox or Production'))),
        }),
      ),
    },
    { error: 'expected the ticket that send() returned' },
  ),
)

/** Default deadline of each call, retries and rate-limit waits included. */
const DEFAULT_TIMEOUT_MS = 30_000

/**
 * A NotificationTester for Apple's App Store Server API. Options are checked and the private key
 * parsed here, once: a problem is a `config` error naming the field, before any request.
 */
export function createAppleTester(options: AppleTesterOptions): AppleTester {
  const operation = APPLE_OPERATIONS.createAppleTester.name
  const settings = parseWith(appleTesterOptionsSchema, options, {
    vendor: 'apple',
    operation,
    kind: 'config',
    subject: 'Apple tester options',
  })
  const privateKey = loadPrivateKey(settings.privateKey, { field: 'privateKey', operation })
  const verifier = createSignedPayloadVerifier(
    {
      bundleId: settings.bundleId,
      environment: settings.environment,
      appAppleId: settings.appAppleId,
      rootCertificates: settings.rootCertificates,
    },
    { operation, kind: 'config', subject: 'Apple tester options' },
  )
  const clock = settings.clock ?? systemClock
  const api = new AppleApi({ ...settings, privateKey, clock })
  return new AppleTesterImpl(api, verifier, {
    rateLimits: settings.rateLimits,
    clock,
    timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  })
}

class AppleTesterImpl implements AppleTester {
  readonly vendor = 'apple'
  readonly environment: AppleEnvironment
  readonly bundleId: string
  readonly baseUrl: string
  readonly pollIntervalMs: number
  readonly #api: AppleApi
  readonly #verifier: SignedPayloadVerifier
  readonly #clock: Clock
  readonly #timeoutMs: number
  readonly #rateLimits: AppleRateLimits
  /** Which test each TEST notification confirmed: a payload is evidence for one test only. */
  readonly #claims = new EvidenceClaims()

  constructor(
    api: AppleApi,
    verifier: SignedPayloadVerifier,
    settings: { rateLimits: AppleRateLimits; clock: Clock; timeoutMs: number },
  ) {
    this.#api = api
    this.#verifier = verifier
    this.#clock = settings.clock
    this.#timeoutMs = settings.timeoutMs
    this.#rateLimits = settings.rateLimits
    this.environment = api.environment
    this.bundleId = api.bundleId
    this.baseUrl = api.baseUrlOf('requestTestNotification')
    this.pollIntervalMs = this.#pollIntervalMs('getTestNotificationStatus')
  }

  async send(options: SendOptions = {}): Promise<AppleTestTicket> {
    const call = this.#callOptions(options, 'requestTestNotification', 'send')
    const { testNotificationToken } = await this.#within(call, (deadline) =>
      this.#api.call(
        'requestTestNotification',
        { path: '/inApps/v1/notifications/test' },
        sendTestNotificationResponseSchema,
        deadline,
      ),
    )
    return {
      vendor: 'apple',
      id: testNotificationToken,
      requestedAt: this.#clock.now(),
      details: { environment: this.environment, bundleId: this.bundleId },
    }
  }

  async check(ticket: TestTicket, options: CallOptions = {}): Promise<AppleTestOutcome> {
    const call = this.#callOptions(options, 'check', 'check')
    this.#checkTicket(ticket)
    prepareSignatureChecks()
    const context = {
      ticket,
      environment: this.environment,
      bundleId: this.bundleId,
      verifier: this.#verifier,
      pollIntervalMs: this.pollIntervalMs,
      claims: this.#claims,
    }
    let status: AppleTestNotificationStatus
    try {
      status = await this.getTestNotificationStatus(ticket.id, call)
    } catch (error) {
      if (isNotificationTestError(error) && error.vendorCode === TEST_NOTIFICATION_NOT_FOUND) {
        return pendingOutcome({ ...context, checkedAt: this.#clock.now() }, error)
      }
      throw error
    }
    return outcomeFromStatus(status, { ...context, checkedAt: this.#clock.now() })
  }

  async getTestNotificationStatus(
    token: string,
    options: CallOptions = {},
  ): Promise<AppleTestNotificationStatus> {
    const call = this.#callOptions(
      options,
      'getTestNotificationStatus',
      'getTestNotificationStatus',
    )
    const id = parseWith(tokenSchema, token, {
      vendor: 'apple',
      operation: APPLE_OPERATIONS.getTestNotificationStatus.name,
      kind: 'invalid_input',
      subject: 'test notification token',
    })
    return this.#within(call, (deadline) =>
      this.#api.call(
        'getTestNotificationStatus',
        { path: `/inApps/v1/notifications/test/${encodeURIComponent(id)}` },
        testNotificationStatusSchema,
        deadline,
      ),
    )
  }

  notificationHistory(
    request: AppleNotificationHistoryRequest,
    options: CallOptions = {},
  ): AsyncIterableIterator<AppleNotificationHistoryRecord> {
    // Checked now, not at the first `next()`: a bad request fails where it is made.
    const call = this.#callOptions(options, 'getNotificationHistory', 'notificationHistory')
    const body = checkNotificationHistoryRequest(request, this.#clock.now(), this.environment)
    return this.#historyWithin(call, body)
  }

  async initiatePerformanceTest(
    request: ApplePerformanceTestRequest,
    options: CallOptions = {},
  ): Promise<ApplePerformanceTestStart> {
    const call = this.#callOptions(options, 'initiatePerformanceTest', 'initiatePerformanceTest')
    const body = checkPerformanceTestRequest(request)
    return this.#within(call, (deadline) => initiatePerformanceTest(this.#api, body, deadline))
  }

  async getPerformanceTestResults(
    requestId: string,
    options: CallOptions = {},
  ): Promise<ApplePerformanceTestResult> {
    const call = this.#callOptions(
      options,
      'getPerformanceTestResults',
      'getPerformanceTestResults',
    )
    const id = checkPerformanceTestRequestId(requestId)
    return this.#within(call, (deadline) => getPerformanceTestResults(this.#api, id, deadline))
  }

  async waitForPerformanceTest(
    requestId: string,
    options: WaitForPerformanceTestOptions = {},
  ): Promise<ApplePerformanceTestResult> {
    const wait = parseWaitOptions(options)
    const id = checkPerformanceTestRequestId(requestId)
    const check = (call: CallOptions): Promise<ApplePerformanceTestResult> =>
      this.#within(call, (deadline) => getPerformanceTestResults(this.#api, id, deadline))
    return waitForPerformanceTest(check, id, {
      ...wait,
      clock: this.#clock,
      minIntervalMs: this.#pollIntervalMs('getPerformanceTestResults'),
    })
  }

  verifySignedPayload(signedPayload: string): Promise<AppleNotificationPayload> {
    return this.#verifier.verify(signedPayload)
  }

  close(): void {
    this.#api.close()
  }

  /** What `console.log(tester)` shows: the settings that say where it talks, no key. */
  [inspect.custom](): string {
    return `AppleTester ${inspect(this.#where(), { breakLength: Infinity })}`
  }

  toJSON(): Record<string, string> {
    return { vendor: this.vendor, ...this.#where() }
  }

  #where(): Record<string, string> {
    return { environment: this.environment, bundleId: this.bundleId, baseUrl: this.baseUrl }
  }

  #pollIntervalMs(endpoint: 'getTestNotificationStatus' | 'getPerformanceTestResults'): number {
    return applePollIntervalMs(endpoint, this.environment, this.#rateLimits)
  }

  #checkTicket(ticket: TestTicket): void {
    const context = {
      vendor: 'apple',
      operation: APPLE_OPERATIONS.check.name,
      kind: 'invalid_input',
      subject: 'ticket',
    } as const
    const parsed = parseWith(ticketSchema, ticket, context)
    const environment = parsed.details?.environment
    if (environment !== undefined && environment !== this.environment) {
      throw new NotificationTestError({
        ...context,
        message: `Invalid ticket: it was issued in ${environment}; this tester is for ${this.environment}`,
      })
    }
  }

  #callOptions(
    options: unknown,
    operation: keyof typeof APPLE_OPERATIONS,
    method: string,
  ): CallOptions {
    return parseCallOptions(options, 'apple', APPLE_OPERATIONS[operation], method)
  }

  /** The history within one deadline for the whole iteration, made when the iteration starts. */
  async *#historyWithin(
    call: CallOptions,
    body: NotificationHistoryBody,
  ): AsyncGenerator<AppleNotificationHistoryRecord, void, undefined> {
    const deadline = createDeadline(call, this.#clock, this.#timeoutMs)
    try {
      yield* iterateNotificationHistory(this.#api, body, deadline)
    } finally {
      deadline.dispose()
    }
  }

  /** One public call within one deadline, the tester's `timeoutMs` unless the call gives its own. */
  #within<T>(call: CallOptions, run: (deadline: Deadline) => Promise<T>): Promise<T> {
    return withDeadline(call, this.#clock, this.#timeoutMs, run)
  }
}
