import type { IncomingMessage, ServerResponse } from 'node:http'
import { NotificationTestError, isNotificationTestError } from '@notiprobe/core'
import {
  BodyReadError,
  clockSchema,
  connectionOptionsShape,
  parseWith,
  readBoundedBody,
  reportTo,
  systemClock,
  type Clock,
  type ConnectionOptions,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import type { AppleEnvironment } from './environment.js'
import { expected, requireAppAppleIdInProduction, verifiedAppShape } from './fields.js'
import type { AppleNotificationPayload } from './notification-payload.js'
import type { OnlineChecksOptions } from './online-checks-options.js'
import { onlineChecksSchema } from './online-checks.js'

import { DEFAULT_MAX_NOTIFICATION_AGE_MS, ReplayGuard } from './replay-guard.js'
import type { RootCertificateInput } from './trusted-roots.js'
import { quoteUntrusted } from './untrusted-text.js'
import { createSignedPayloadVerifier } from './verify-signed-payload.js'

/** Options of `createNotificationHandler`. */
export interface NotificationHandlerOptions<TRequest extends IncomingMessage = IncomingMessage> {
  readonly bundleId: string
  readonly environment: AppleEnvironment
  /** Required in Production. */
  readonly appAppleId?: number | undefined
  /** Roots trusted for signed payloads, replacing Apple Root CA - G3. */
  readonly rootCertificates?: readonly RootCertificateInput[] | undefined
  /** Largest body read (512 KiB); larger ones get 413. */
  readonly maxBodyBytes?: number | undefined
  /** How long a client may take to send the body (10 s); slower ones get 408. */
  readonly bodyTimeoutMs?: number | undefined
  /**
   * Oldest signing date accepted (7 days, which covers Apple's last retry about 6.5 days after
   * the first attempt); older ones are replays and get 400, as do payloads signed in the future.
   * A copy of a notificationUUID already handled gets 200 and is not handed over again.
   */
  readonly maxAgeMs?: number | undefined
  /** OCSP revocation checks, off by default; see `VerifySignedPayloadOptions.onlineChecks`. */
  readonly onlineChecks?: boolean | OnlineChecksOptions | undefined
  /** The proxy and CAs of the OCSP queries, as for every Apple call. */
  readonly proxy?: ConnectionOptions['proxy']
  readonly ca?: ConnectionOptions['ca']
  /** The time replays and online checks are judged at; the system clock by default. */
  readonly clock?: Clock | undefined
  /**
   * Called with each verified notification before the 200 is sent. If it throws, the answer is
   * 500, so that Apple tries again (in Production). `received.signedPayload` is the JWS as it
   * arrived, for a record that can be verified again later.
   */
  readonly onNotification: (
    notification: AppleNotificationPayload,
    req: TRequest,
    received: { readonly signedPayload: string },
  ) => unknown
  /** Called with every refused request and every `onNotification` failure, e.g. to log them. */
  readonly onError?: ((error: NotificationTestError, req: TRequest) => void) | undefined
}

/** A handler for Node's `http` server, and an Express route handler as is. */
export type NotificationHandler<TRequest extends IncomingMessage = IncomingMessage> = (
  req: TRequest,
  res: ServerResponse,
) => Promise<void>

const DEFAULT_MAX_BODY_BYTES = 512 * 1024
const DEFAULT_BODY_TIMEOUT_MS = 10_000
const OPERATION = 'apple.notificationHandler'

const optionsSchema = z.lazy(() =>
  z
    .strictObject({
      ...verifiedAppShape,
      maxBodyBytes: z.optional(
        z
          .number(expected('a number of bytes'))
          .check(
            z.int({ error: 'expected a whole number of bytes' }),
            z.gte(1024, { error: 'expected at least 1024 bytes' }),
            z.lte(16 * 1024 * 1024, { error: 'expected at most 16 MiB' }),
          ),
      ),
      bodyTimeoutMs: z.optional(
        z
          .number(expected('a number of milliseconds'))
          .check(
            z.int({ error: 'expected a whole number of milliseconds' }),
            z.gte(1, { error: 'expected at least 1 millisecond' }),
            z.lte(600_000, { error: 'expected at most 600000 milliseconds' }),
          ),
      ),
      maxAgeMs: z.optional(
        z
          .number(expected('a number of milliseconds'))
          .check(
            z.int({ error: 'expected a whole number of milliseconds' }),
            z.gte(60_000, { error: 'expected at least 60000 milliseconds' }),
            z.lte(90 * 86_400_000, { error: 'expected at most 90 days in milliseconds' }),
          ),
      ),
      onlineChecks: z.optional(onlineChecksSchema),
      ...connectionOptionsShape,
      clock: z.optional(clockSchema),
      onNotification: z.custom<(...args: never[]) => unknown>(
        (value) => typeof value === 'function',
        {
          error: 'expected a function called with each verified notification',
        },
      ),
      onError: z.optional(
        z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
          error: 'expected a function',
        }),
      ),
    })
    .check(z.superRefine(requireAppAppleIdInProduction)),
)

const bodySchema = z.lazy(() => z.looseObject({ signedPayload: z.string() }))

/**
 * An endpoint for App Store Server Notifications: reads a bounded JSON body (or takes the one
 * `express.json()` already parsed), verifies `signedPayload` for this app and environment, hands
 * the notification to `onNotification` and answers 200. Anything else gets an error status: 405
 * for a method other than POST, 415 for a body that is not JSON, 413 when too large, 408 when too
 * slow, 400 when it is not a notification, fails verification or is a replay (older than `maxAgeMs`
 * or signed in the future), 503 when an online check could not be made, 500 when `onNotification`
 * throws. A copy of a notification already handled (same notificationUUID: Apple resends what it
 * saw no 2xx for) gets 200 without being handed over again; one arriving while the first is still
 * being handled gets 409, so that Apple comes back.
 * The handler itself never throws.
 */
export function createNotificationHandler<TRequest extends IncomingMessage = IncomingMessage>(
  options: NotificationHandlerOptions<TRequest>,
): NotificationHandler<TRequest> {
  const settings = parseWith(optionsSchema, options, {
    vendor: 'apple',
    operation: 'apple.createNotificationHandler',
    kind: 'config',
    subject: 'notification handler options',
  })
  const verifier = createSignedPayloadVerifier(
    {
      bundleId: settings.bundleId,
      environment: settings.environment,
      appAppleId: settings.appAppleId,
      rootCertificates: settings.rootCertificates,
      onlineChecks: settings.onlineChecks,
      proxy: settings.proxy,
      ca: settings.ca,
      clock: settings.clock,
    },
    {
      operation: 'apple.createNotificationHandler',
      kind: 'config',
      subject: 'notification handler options',
    },
  )
  const maxBodyBytes = settings.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const bodyTimeoutMs = settings.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS
  const clock = settings.clock ?? systemClock
  const replays = new ReplayGuard(settings.maxAgeMs ?? DEFAULT_MAX_NOTIFICATION_AGE_MS)
  const { onNotification, onError } = options

  return async (req, res) => {
    const report = (error: NotificationTestError): void => reportTo(onError, error, req)
    // The client gets a short reason; the full error (which check failed) goes to onError.
    const refuse = (status: number, reason: string, error?: NotificationTestError): void => {
      report(
        error ??
          new NotificationTestError({
            vendor: 'apple',
            operation: OPERATION,
            kind: 'invalid_input',
            httpStatus: status,
            message: `Notification refused (HTTP ${status}): ${reason}.`,
          }),
      )
      answer(res, status, { error: reason }, status === 405 ? { Allow: 'POST' } : {})
    }
    try {
      if (req.method !== 'POST') return refuse(405, 'only POST is accepted')
      if (!isJsonContentType(req.headers['content-type'])) {
        return refuse(415, 'the body must be application/json')
      }
      let body: unknown
      try {
        body = await bodyOf(req, maxBodyBytes, bodyTimeoutMs)
      } catch (error) {
        if (error instanceof BodyReadError) return refuse(error.status, error.message)
        throw error
      }
      const parsed = z.safeParse(bodySchema, body)
      if (!parsed.success) return refuse(400, 'the body is not {"signedPayload": "<JWS>"}')
      let notification: AppleNotificationPayload
      try {
        notification = await verifier.verify(parsed.data.signedPayload)
      } catch (error) {
        if (!isNotificationTestError(error)) throw error
        // An OCSP responder out of reach: not a verdict on the notification; Apple retries a 503.
        if (error.retryable)
          return refuse(503, 'the signed payload could not be verified now', error)
        return refuse(400, 'the signed payload failed verification', error)
      }
      const replay = replays.claim(notification, clock.now())
      // Apple resends what it saw no 2xx for: a copy already handled is acknowledged, not handed
      // over again; a refusal would only make Apple try again.
      if (replay.verdict === 'handled') return answer(res, 200, undefined)
      if (replay.verdict === 'in_flight') {
        return refuse(
          409,
          'this notification is still being handled',
          new NotificationTestError({
            vendor: 'apple',
            operation: OPERATION,
            kind: 'invalid_input',
            httpStatus: 409,
            message: `Notification ${quoteUntrusted(notification.notificationUUID)} refused (HTTP 409): a copy of it is still being handled; Apple tries again later.`,
          }),
        )
      }
      if (replay.verdict === 'refused') {
        return refuse(
          400,
          'the notification is not new',
          new NotificationTestError({
            vendor: 'apple',
            operation: OPERATION,
            kind: 'verification',
            httpStatus: 400,
            message: `Notification ${quoteUntrusted(notification.notificationUUID)} refused (HTTP 400): ${replay.reason}.`,
          }),
        )
      }
      try {
        await onNotification(notification, req, { signedPayload: parsed.data.signedPayload })
        replays.settle(notification.notificationUUID)
      } catch (error) {
        replays.release(notification.notificationUUID)
        report(
          new NotificationTestError({
            vendor: 'apple',
            operation: OPERATION,
            kind: 'vendor_error',
            message: `onNotification failed for notification ${quoteUntrusted(notification.notificationUUID)}; answered 500 so that Apple tries again.`,
            cause: error,
          }),
        )
        return answer(res, 500, { error: 'the notification could not be processed' })
      }
      answer(res, 200, undefined)
    } catch (error) {
      report(
        new NotificationTestError({
          vendor: 'apple',
          operation: OPERATION,
          kind: 'vendor_error',
          message: 'The notification handler failed unexpectedly.',
          cause: error,
        }),
      )
      answer(res, 500, { error: 'internal error' })
    }
  }
}

function isJsonContentType(header: string | undefined): boolean {
  const type = header?.split(';')[0]?.trim().toLowerCase()
  return type === 'application/json'
}

/** The JSON body: the one a framework already parsed, or read from the stream here. */
async function bodyOf(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<unknown> {
  const parsedBefore = (req as IncomingMessage & { body?: unknown }).body
  // express.json() (or express.raw/text) consumed the stream and left the result on `req.body`.
  if (req.readableEnded || (parsedBefore !== undefined && req.complete)) {
    if (typeof parsedBefore === 'string' || Buffer.isBuffer(parsedBefore)) {
      return parseJson(Buffer.from(parsedBefore), maxBytes)
    }
    if (parsedBefore === undefined)
      throw new BodyReadError(400, 'the body was already read by another handler')
    return parsedBefore
  }
  return parseJson(await readBoundedBody(req, maxBytes, timeoutMs), maxBytes)
}

function parseJson(bytes: Buffer, maxBytes: number): unknown {
  if (bytes.length > maxBytes)
    throw new BodyReadError(413, `the body is larger than ${maxBytes} bytes`)
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown
  } catch {
    throw new BodyReadError(400, 'the body is not valid JSON')
  }
}

function answer(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, {
    ...headers,
    ...(text === '' ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
    'Content-Length': Buffer.byteLength(text),
    // An unread or refused body must not poison the next request on this connection.
    ...(status === 200 ? {} : { Connection: 'close' }),
  })
  res.end(text)
}
