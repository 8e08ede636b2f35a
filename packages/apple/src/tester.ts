import { inspect } from 'node:util'
import {
  NotificationTestError,
  isNotificationTestError,
  parseWith,
  systemClock,
  type CallOptions,
  type Clock,
  type NotificationTester,
  type SendOptions,
  type TestTicket,
} from '@notiprobe/core'
import { z } from 'zod'
import { AppleApi } from './api-client.js'
import { parseCallOptions, parseWaitOptions } from './call-options.js'
import type { AppleEnvironment } from './environment.js'
import { TEST_NOTIFICATION_NOT_FOUND } from './error-codes.js'
import { appleOptionsFromEnv } from './env.js'
import { expected } from './fields.js'
import {
  checkNotificationHistoryRequest,
  iterateNotificationHistory,
  type AppleNotificationHistoryRequest,
} from './history.js'
import { applePollIntervalMs, type AppleRateLimits } from './hosts.js'
import type { AppleNotificationPayload } from './notification-payload.js'
import { appleTesterOptionsSchema, type AppleTesterOptions } from './options.js'
import {
  getPerformanceTestResults,
  initiatePerformanceTest,
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
const tokenSchema = z
  .string(expected('the testNotificationToken that send() returned'))
  .trim()
  .regex(/^(?=[^A-Za-z0-9]*[A-Za-z0-9])[A-Za-z0-9_-]{1,256}$/, {
    error: 'expected the testNotificationToken that send() returned',
  })

/**
 * A NotificationTester for Apple's App Store Server API. Options are checked and the private key
 * parsed here, once: a problem is a `config` error naming the field, before any request.
 */
export function createAppleTester(options: AppleTesterOptions): AppleTester {
  const operation = 'apple.createAppleTester'
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
  const api = new AppleApi({ ...settings, privateKey, clock: settings.clock ?? systemClock })
  return new AppleTesterImpl(api, verifier, settings.rateLimits, settings.clock ?? systemClock)
}

/**
 * `createAppleTester` with its options read from the environment (see `appleOptionsFromEnv` for
 * the variables); `overrides` win over the environment.
 */
createAppleTester.fromEnv = function fromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: Partial<AppleTesterOptions> = {},
): AppleTester {
  return createAppleTester(appleOptionsFromEnv(env, overrides))
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
  readonly #rateLimits: AppleRateLimits
  /** Which test each TEST notification confirmed: a payload is evidence for one test only. */
  readonly #claims = new EvidenceClaims()

  constructor(
    api: AppleApi,
    verifier: SignedPayloadVerifier,
    rateLimits: AppleRateLimits,
    clock: Clock,
  ) {
    this.#api = api
    this.#verifier = verifier
    this.#clock = clock
    this.#rateLimits = rateLimits
    this.environment = api.environment
    this.bundleId = api.bundleId
    this.baseUrl = api.baseUrlOf('requestTestNotification')
    this.pollIntervalMs = this.#pollIntervalMs('getTestNotificationStatus')
  }

  async send(options: SendOptions = {}): Promise<AppleTestTicket> {
    const call = parseCallOptions(options, 'apple.requestTestNotification', 'send')
    const { testNotificationToken } = await this.#api.call(
      'requestTestNotification',
      { path: '/inApps/v1/notifications/test' },
      sendTestNotificationResponseSchema,
      call,
    )
    return {
      vendor: 'apple',
      id: testNotificationToken,
      requestedAt: this.#clock.now(),
      details: { environment: this.environment, bundleId: this.bundleId },
    }
  }

  async check(ticket: TestTicket, options: CallOptions = {}): Promise<AppleTestOutcome> {
    const call = parseCallOptions(options, 'apple.check', 'check')
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
    const call = parseCallOptions(
      options,
      'apple.getTestNotificationStatus',
      'getTestNotificationStatus',
    )
    const id = parseWith(tokenSchema, token, {
      vendor: 'apple',
      operation: 'apple.getTestNotificationStatus',
      kind: 'invalid_input',
      subject: 'test notification token',
    })
    return this.#api.call(
      'getTestNotificationStatus',
      { path: `/inApps/v1/notifications/test/${encodeURIComponent(id)}` },
      testNotificationStatusSchema,
      call,
    )
  }

  notificationHistory(
    request: AppleNotificationHistoryRequest,
    options: CallOptions = {},
  ): AsyncIterableIterator<AppleNotificationHistoryRecord> {
    // Checked now, not at the first `next()`: a bad request fails where it is made.
    const call = parseCallOptions(options, 'apple.getNotificationHistory', 'notificationHistory')
    const body = checkNotificationHistoryRequest(request, this.#clock.now(), this.environment)
    return iterateNotificationHistory(this.#api, body, call)
  }

  async initiatePerformanceTest(
    request: ApplePerformanceTestRequest,
    options: CallOptions = {},
  ): Promise<ApplePerformanceTestStart> {
    const call = parseCallOptions(
      options,
      'apple.initiatePerformanceTest',
      'initiatePerformanceTest',
    )
    return initiatePerformanceTest(this.#api, request, call)
  }

  async getPerformanceTestResults(
    requestId: string,
    options: CallOptions = {},
  ): Promise<ApplePerformanceTestResult> {
    const call = parseCallOptions(
      options,
      'apple.getPerformanceTestResults',
      'getPerformanceTestResults',
    )
    return getPerformanceTestResults(this.#api, requestId, call)
  }

  async waitForPerformanceTest(
    requestId: string,
    options: WaitForPerformanceTestOptions = {},
  ): Promise<ApplePerformanceTestResult> {
    return waitForPerformanceTest(this.#api, requestId, {
      ...parseWaitOptions(options),
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
    const settings = {
      environment: this.environment,
      bundleId: this.bundleId,
      baseUrl: this.baseUrl,
    }
    return `AppleTester ${inspect(settings, { breakLength: Infinity })}`
  }

  toJSON(): Record<string, string> {
    return {
      vendor: this.vendor,
      environment: this.environment,
      bundleId: this.bundleId,
      baseUrl: this.baseUrl,
    }
  }

  #pollIntervalMs(endpoint: 'getTestNotificationStatus' | 'getPerformanceTestResults'): number {
    return applePollIntervalMs(endpoint, this.environment, this.#rateLimits)
  }

  #checkTicket(ticket: TestTicket): void {
    const fail = (why: string): never => {
      throw new NotificationTestError({
        vendor: 'apple',
        operation: 'apple.check',
        kind: 'invalid_input',
        message: `Invalid ticket: ${why}`,
      })
    }
    if (typeof ticket !== 'object' || ticket === null)
      return fail('expected the ticket that send() returned')
    if (ticket.vendor !== 'apple')
      return fail(`it is a ${JSON.stringify(ticket.vendor)} ticket, not an Apple one`)
    const environment = ticket.details?.environment
    if (environment !== undefined && environment !== this.environment) {
      const issued = typeof environment === 'string' ? environment : 'another environment'
      fail(`it was issued in ${issued}; this tester is for ${this.environment}`)
    }
  }
}
