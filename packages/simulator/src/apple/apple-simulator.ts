import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  FaultInjector,
  RateLimiter,
  RequestLog,
  handleControlRequest,
  startLoopbackServer,
} from '../common/index.js'
import {
  ApiKeyRegistry,
  generateCredentials,
  type AppleApiKeyRegistration,
  type AppleSimulatorCredentials,
} from './api-keys.js'
import { createSigningChain } from './certificate-chain.js'
import {
  APPLE_ENDPOINTS,
  matchAppleRoute,
  type AppleEndpoint,
  type AppleRoute,
} from './endpoints.js'
import { sendAppleError } from './error-codes.js'
import { appleFaultRenderer, sendRateLimited } from './fault-renderer.js'
import { handleGetNotificationHistory } from './handle-notification-history.js'
import {
  handleGetPerformanceTestResults,
  handleInitiatePerformanceTest,
} from './handle-performance-test.js'
import {
  handleGetTestNotificationStatus,
  handleRequestTestNotification,
} from './handle-test-notification.js'
import { SentNotificationsSource } from './history-sources.js'
import { authenticate, sendUnauthenticated } from './jwt-auth.js'
import { checkUrl, resolveAppleOptions, type AppleSimulatorOptions } from './options.js'
import { PaginationTokens } from './pagination-token.js'
import { PayloadSigner } from './payload-signer.js'
import { PerformanceTests } from './performance-tests.js'
import { appleRateLimit } from './rate-limits.js'
import { createSeedBatch, type SeedHistoryOptions, type SeededHistory } from './seed-history.js'
import type { AppleSimulatorState } from './simulator-state.js'
import type { AppleEnvironment } from './environment.js'
import type { AppleSimulatorInspection, AuthFailure } from './inspection.js'
import { TestNotificationService } from './test-notifications.js'
import { startOcspResponder, type OcspResponder } from './ocsp-responder.js'
import { buildNotificationPayload, type NotificationSpec } from './notification-payloads.js'
import { isNotificationType } from './notification-types.js'
import { postSignedPayload } from './post-signed-payload.js'
import type { SendAttemptResult } from './send-attempt-result.js'

/** A notification `sendNotification` delivered (or tried to). */
export interface SentNotificationResult {
  signedPayload: string
  notificationUUID: string
  sendAttemptResult: SendAttemptResult
  httpStatus?: number
}

/** A running Apple simulator. */
export interface AppleSimulator {
  /** `http://127.0.0.1:<port>`: use it as the App Store Server API host. */
  readonly baseUrl: string
  readonly environment: AppleEnvironment
  readonly bundleId: string
  readonly appAppleId: number
  /** A key generated at start and already registered. */
  readonly credentials: AppleSimulatorCredentials
  /** The root of the simulator's signing chain: the trust anchor a verifier needs. */
  readonly rootCertificatePem: string
  /**
   * The OCSP responder the leaf and intermediate name, for verifiers with online checks:
   * `set('revoked', 'leaf')`, `set('unavailable')`, `set('error')`, `set('good')`.
   */
  readonly ocsp: Pick<OcspResponder, 'url' | 'set' | 'requests'>
  /** Accepts JWTs signed with another key (e.g. one a test generated). */
  registerKey(key: AppleApiKeyRegistration): void
  readonly faults: FaultInjector<AppleEndpoint>
  inspect(): AppleSimulatorInspection
  /** Adds virtual history records (cheap even for 100 000). */
  seedHistory(options: SeedHistoryOptions): SeededHistory
  /** Where TEST notifications go; `undefined` makes test requests fail with 4040007. */
  setNotificationUrl(url: string | undefined): void
  /** The realtime endpoint performance tests load; `undefined` makes them fail with 4040021. */
  setRealtimeUrl(url: string | undefined): void
  /**
   * Signs a notification of any type as Apple would (the app named in `data`, `summary`,
   * `externalPurchaseToken` or `appData`, nested JWS signed by the same chain), without sending it.
   */
  signNotification(spec: NotificationSpec): Promise<string>
  /**
   * Signs a notification of any type and POSTs it once to the notification URL, as Apple does
   * when something happens to a purchase; it then shows in the history with its attempt.
   */
  sendNotification(spec: NotificationSpec): Promise<SentNotificationResult>
  /** Stops the server, pending deliveries and performance runs; leaves no timer or socket. */
  close(): Promise<void>
}

type RouteHandler = (
  state: AppleSimulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  route: AppleRoute,
) => void | Promise<void>

const HANDLERS: Record<AppleEndpoint, RouteHandler> = {
  requestTestNotification: handleRequestTestNotification,
  getTestNotificationStatus: handleGetTestNotificationStatus,
  getNotificationHistory: handleGetNotificationHistory,
  initiatePerformanceTest: handleInitiatePerformanceTest,
  getPerformanceTestResults: handleGetPerformanceTestResults,
}

const AUTH_FAILURES_KEPT = 100

/**
 * Starts a local App Store Server API on 127.0.0.1: its own signing chain, its own JWT check,
 * Apple's shapes, codes and rate limits, and real deliveries to the URLs you configure.
 */
export async function startAppleSimulator(
  options: AppleSimulatorOptions = {},
): Promise<AppleSimulator> {
  const o = resolveAppleOptions(options)
  const { now, environment, bundleId, appAppleId } = o
  // Apple's OCSP responder is a host of its own; the chain's certificates name this one.
  const ocsp = await startOcspResponder(now)
  const chain = await createSigningChain(now(), { ocspUrl: ocsp.url })
  ocsp.serve(chain.issuedBy)
  const signer = new PayloadSigner(chain)
  const keys = new ApiKeyRegistry()
  const credentials = generateCredentials(keys, bundleId)
  const sent = new SentNotificationsSource()
  const state: AppleSimulatorState = {
    options: o,
    testNotifications: new TestNotificationService({
      signer,
      history: sent,
      now,
      environment,
      bundleId,
      appAppleId,
      deliveryDelayMs: o.deliveryDelayMs,
      deliveryTimeoutMs: o.deliveryTimeoutMs,
      retryDelaysMs: o.retryDelaysMs,
    }),
    historySources: [sent],
    paginationTokens: new PaginationTokens(o.historyPaginationTokenTtlMs),
    performanceTests: new PerformanceTests({
      signer,
      now,
      appAppleId,
      bundleId,
      config: o.performanceTest,
    }),
    notificationUrl: o.notificationUrl,
    realtimeUrl: o.realtimeUrl,
  }
  const faults = new FaultInjector<AppleEndpoint>({
    endpoints: APPLE_ENDPOINTS,
    renderer: appleFaultRenderer(now),
    random: o.random,
  })
  const limiter = new RateLimiter({ now })
  const log = new RequestLog({ now })
  const authFailures: AuthFailure[] = []
  let seededCount = 0
  let seedBatches = 0

  const inspect = (): AppleSimulatorInspection => ({
    vendor: 'apple',
    baseUrl: server.baseUrl,
    environment,
    bundleId,
    appAppleId,
    ...(state.notificationUrl === undefined ? {} : { notificationUrl: state.notificationUrl }),
    ...(state.realtimeUrl === undefined ? {} : { realtimeUrl: state.realtimeUrl }),
    requests: log.entries(),
    authFailures: authFailures.map((failure) => ({ ...failure })),
    testNotifications: state.testNotifications.list(),
    performanceTests: state.performanceTests.list(),
    history: { sent: sent.size, seeded: seededCount },
    faults: { active: faults.list(), count: faults.count },
  })

  // Order matters: faults stand for the network and proxies in front of Apple, so they come
  // first; then authentication; then the per-app rate limit, which needs to know the app.
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Node's own Date is wall-clock time; Apple's is the clock its Retry-After instants and
    // signed dates are on.
    res.setHeader('date', new Date(now()).toUTCString())
    if (await handleControlRequest(req, res, { faults, inspect })) return
    const route = matchAppleRoute(req.method ?? 'GET', req.url ?? '/')
    if (route === undefined) {
      log.track('unknown', req, res)
      req.resume()
      return sendAppleError(res, 'RouteNotFound')
    }
    const { endpoint } = route
    const entry = log.track(endpoint, req, res)
    const interception = await faults.intercept(endpoint, req, res)
    if (interception !== undefined) entry.fault = interception.fault
    if (interception?.handled === true) return
    const auth = await authenticate(req.headers.authorization, { keys, bundleId, now: now() })
    if (!auth.ok) {
      authFailures.push({ receivedAt: now(), endpoint, reason: auth.reason })
      if (authFailures.length > AUTH_FAILURES_KEPT) authFailures.shift()
      req.resume()
      return sendUnauthenticated(res)
    }
    if (o.rateLimits !== 'off') {
      const decision = limiter.take(
        `${bundleId} ${endpoint}`,
        appleRateLimit(endpoint, environment, o.rateLimits),
      )
      if (!decision.ok) {
        req.resume()
        return sendRateLimited(res, decision.resetAtMs)
      }
    }
    await HANDLERS[endpoint](state, req, res, route)
  }

  const signed = async (
    spec: NotificationSpec,
  ): Promise<{ payload: Record<string, unknown>; signedPayload: string }> => {
    if (!isNotificationType(spec.notificationType)) {
      throw new TypeError(
        'notificationType must be an upper-case notification type, e.g. SUBSCRIBED',
      )
    }
    const payload = await buildNotificationPayload(spec, {
      signer,
      environment,
      bundleId,
      appAppleId,
      now: now(),
    })
    return { payload, signedPayload: await signer.sign(payload) }
  }

  let server: Awaited<ReturnType<typeof startLoopbackServer>>
  try {
    server = await startLoopbackServer(handle, { port: o.port, tls: o.tls })
  } catch (error) {
    // A port in use: nothing started may stay open.
    await ocsp.close()
    throw error
  }
  let closing: Promise<void> | undefined

  return {
    baseUrl: server.baseUrl,
    environment,
    bundleId,
    appAppleId,
    credentials,
    rootCertificatePem: chain.rootCertificatePem,
    ocsp: {
      url: ocsp.url,
      set: (mode, certificate) => ocsp.set(mode, certificate),
      get requests() {
        return ocsp.requests
      },
    },
    registerKey: (key) => keys.register(key),
    faults,
    inspect,
    seedHistory(seedOptions) {
      const { source, seeded } = createSeedBatch(seedOptions, {
        signer,
        environment,
        bundleId,
        appAppleId,
        now: now(),
        batchId: `seed${String(++seedBatches)}`,
      })
      state.historySources.push(source)
      seededCount += seeded.count
      return seeded
    },
    setNotificationUrl(url) {
      state.notificationUrl = url === undefined ? undefined : checkUrl(url, 'notificationUrl')
    },
    setRealtimeUrl(url) {
      state.realtimeUrl = url === undefined ? undefined : checkUrl(url, 'realtimeUrl')
    },
    signNotification: async (spec) => (await signed(spec)).signedPayload,
    async sendNotification(spec) {
      const url = state.notificationUrl
      if (url === undefined)
        throw new TypeError('no notification URL is set: call setNotificationUrl first')
      const { payload, signedPayload } = await signed(spec)
      const attemptDate = now()
      const outcome = await postSignedPayload(url, signedPayload, {
        timeoutMs: o.deliveryTimeoutMs,
      })
      sent.add({
        signedDate: payload.signedDate as number,
        notificationType: spec.notificationType,
        ...(spec.subtype === undefined ? {} : { subtype: spec.subtype }),
        signedPayload,
        sendAttempts: [{ attemptDate, sendAttemptResult: outcome.result }],
      })
      return {
        signedPayload,
        notificationUUID: payload.notificationUUID as string,
        sendAttemptResult: outcome.result,
        ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
      }
    },
    close() {
      closing ??= Promise.all([
        server.close(),
        ocsp.close(),
        state.testNotifications.close(),
        state.performanceTests.close(),
      ]).then(() => undefined)
      return closing
    },
  }
}
