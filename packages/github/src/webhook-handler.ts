import type { IncomingMessage, ServerResponse } from 'node:http'
import { NotificationTestError } from '@notiprobe/core'
import {
  BodyReadError,
  clockSchema,
  parseWith,
  readBoundedBody,
  reportTo,
  systemClock,
  type Clock,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import { OPERATIONS, VENDOR } from './constants.js'
import { expected, functionSchema } from './fields.js'

import { SecretText } from './secret-text.js'
import { parseWebhookBody, webhookContentType } from './webhook-body.js'
import { readDeliveryHeaders, type GitHubWebhookEvent } from './webhook-event.js'
import { isSignatureHeader, verifyWebhookSignature } from './webhook-signature.js'

/** Options of `createWebhookHandler`. */
export interface WebhookHandlerOptions<TRequest extends IncomingMessage = IncomingMessage> {
  /** The hook's secret: every body must carry its `X-Hub-Signature-256`. */
  readonly secret: string
  /**
   * Called with each verified delivery. Answered 200 when it settles within `respondWithinMs`,
   * 202 "still processing" when it takes longer (it keeps running), 500 when it throws in time.
   */
  readonly onEvent: (event: GitHubWebhookEvent, req: TRequest) => unknown
  /** Called with every refused request and every `onEvent` failure, e.g. to log them. */
  readonly onError?: ((error: NotificationTestError, req: TRequest) => void) | undefined
  /** Largest body read (5 MiB); larger ones get 413. GitHub sends at most 25 MB. */
  readonly maxBodyBytes?: number | undefined
  /** How long a client may take to send the body (10 s, GitHub's own limit); slower ones get 408. */
  readonly bodyTimeoutMs?: number | undefined
  /** When to answer 202 while `onEvent` still runs (9 s, under GitHub's 10 s cut-off). */
  readonly respondWithinMs?: number | undefined
  readonly clock?: Clock | undefined
}

/** A handler for Node's `http` server, and an Express route handler as is. */
export type WebhookHandler<TRequest extends IncomingMessage = IncomingMessage> = (
  req: TRequest,
  res: ServerResponse,
) => Promise<void>

export const DEFAULT_MAX_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024
/** GitHub's payload cap is 25 MB; a limit beyond it would only admit what GitHub never sends. */
export const MAX_WEBHOOK_BODY_BYTES = 25 * 1024 * 1024
export const DEFAULT_BODY_TIMEOUT_MS = 10_000
export const DEFAULT_RESPOND_WITHIN_MS = 9_000

const optionsSchema = z.strictObject({
  secret: z
    .string(expected("the webhook's secret"))
    .check(z.minLength(1, { error: "expected the webhook's secret, not an empty string" })),
  onEvent: functionSchema('a function called with each verified delivery'),
  onError: z.optional(functionSchema('a function')),
  maxBodyBytes: z._default(
    z.number(expected('a number of bytes')).check(
      z.int({ error: 'expected a whole number of bytes' }),
      z.gte(1024, { error: 'expected at least 1024 bytes' }),
      z.lte(MAX_WEBHOOK_BODY_BYTES, {
        error: `expected at most ${MAX_WEBHOOK_BODY_BYTES} bytes (GitHub's cap)`,
      }),
    ),
    DEFAULT_MAX_WEBHOOK_BODY_BYTES,
  ),
  bodyTimeoutMs: z._default(
    z
      .number(expected('a number of milliseconds'))
      .check(
        z.int({ error: 'expected a whole number of milliseconds' }),
        z.gte(1, { error: 'expected at least 1 millisecond' }),
        z.lte(60_000, { error: 'expected at most 60000 milliseconds' }),
      ),
    DEFAULT_BODY_TIMEOUT_MS,
  ),
  respondWithinMs: z._default(
    z.number(expected('a number of milliseconds')).check(
      z.int({ error: 'expected a whole number of milliseconds' }),
      z.gte(0, { error: 'expected 0 or more milliseconds' }),
      z.lte(29_000, {
        error: 'expected at most 29000 milliseconds (GitHub Enterprise Server waits 30 s)',
      }),
    ),
    DEFAULT_RESPOND_WITHIN_MS,
  ),
  clock: z.optional(clockSchema),
})

/**
 * An endpoint for GitHub webhook deliveries. In order, before `onEvent` can see anything: POST
 * only (405), a JSON or form body (415), GitHub's delivery headers and a well-formed
 * `X-Hub-Signature-256` (400), a bounded body that arrives in time (413, 408), the signature
 * checked over the raw bytes in constant time (400), then the payload parsed (400). The handler
 * never throws. With Express, mount it before any body parser, or after `express.raw()`.
 */
export function createWebhookHandler<TRequest extends IncomingMessage = IncomingMessage>(
  options: WebhookHandlerOptions<TRequest>,
): WebhookHandler<TRequest> {
  const settings = parseWith(optionsSchema, options, {
    vendor: VENDOR,
    operation: OPERATIONS.createWebhookHandler,
    kind: 'config',
    subject: 'webhook handler options',
  })
  const secret = new SecretText(settings.secret)
  const clock = settings.clock ?? systemClock
  const { onEvent, onError } = options

  return async (req, res) => {
    const report = (error: NotificationTestError): void => reportTo(onError, error, req)
    const refuse = (
      status: number,
      reason: string,
      kind: 'invalid_input' | 'verification' | 'config' = 'invalid_input',
    ): void => {
      report(
        new NotificationTestError({
          vendor: VENDOR,
          operation: OPERATIONS.webhookHandler,
          kind,
          httpStatus: status,
          message: `Webhook delivery refused (HTTP ${status}): ${reason}.`,
        }),
      )
      answer(res, status, `${reason}\n`, status === 405 ? { Allow: 'POST' } : {})
    }
    try {
      if (req.method !== 'POST') return refuse(405, 'only POST is accepted')
      const type = webhookContentType(req.headers['content-type'])
      if (type === undefined) {
        return refuse(415, 'the body must be application/json or application/x-www-form-urlencoded')
      }
      const headers = readDeliveryHeaders(req.headers)
      if ('problem' in headers) return refuse(400, headers.problem)
      const signature = req.headers['x-hub-signature-256']
      if (typeof signature !== 'string' || !isSignatureHeader(signature.trim())) {
        return refuse(
          400,
          signature === undefined
            ? 'the X-Hub-Signature-256 header is missing (set a secret on the hook)'
            : 'the X-Hub-Signature-256 header is not sha256= and 64 hex digits',
          'verification',
        )
      }
      let body: Buffer
      try {
        body = await rawBodyOf(req, settings.maxBodyBytes, settings.bodyTimeoutMs)
      } catch (error) {
        if (!(error instanceof BodyReadError)) throw error
        return refuse(
          error.status,
          error.message,
          error.status === 500 ? 'config' : 'invalid_input',
        )
      }
      if (!verifyWebhookSignature(secret.reveal(), body, signature)) {
        return refuse(
          400,
          'the X-Hub-Signature-256 signature does not match the body',
          'verification',
        )
      }
      const parsed = parseWebhookBody(body, type)
      if ('problem' in parsed) return refuse(400, parsed.problem)
      const event: GitHubWebhookEvent = {
        ...headers.delivery,
        payload: parsed.payload,
        contentType: type,
      }
      await deliver(event)
    } catch (error) {
      report(handlerError('The webhook handler failed unexpectedly.', error))
      answer(res, 500, 'internal error\n')
    }

    async function deliver(event: GitHubWebhookEvent): Promise<void> {
      // Answer 202 if onEvent outlasts respondWithinMs; it keeps running and reports any failure.
      const cancel = clock.setTimer(
        () => answer(res, 202, 'still processing\n'),
        settings.respondWithinMs,
      )
      try {
        await onEvent(event, req)
        answer(res, 200, 'ok\n')
      } catch (error) {
        report(
          handlerError(`onEvent failed for delivery ${event.deliveryId} (${event.name}).`, error),
        )
        answer(res, 500, 'the delivery could not be processed\n')
      } finally {
        cancel()
      }
    }
  }
}

function handlerError(message: string, cause: unknown): NotificationTestError {
  return new NotificationTestError({
    vendor: VENDOR,
    operation: OPERATIONS.webhookHandler,
    kind: 'vendor_error',
    message,
    cause,
  })
}

/** The raw bytes: read here, or left by `express.raw()`/`express.text()`. Parsed JSON is useless. */
async function rawBodyOf(
  req: IncomingMessage,
  maxBytes: number,
  timeoutMs: number,
): Promise<Buffer> {
  const before = (req as IncomingMessage & { body?: unknown }).body
  if (req.readableEnded || (before !== undefined && req.complete)) {
    if (Buffer.isBuffer(before) || typeof before === 'string') {
      const bytes = Buffer.from(before)
      if (bytes.length > maxBytes)
        throw new BodyReadError(413, `the body is larger than ${maxBytes} bytes`)
      return bytes
    }
    throw new BodyReadError(
      500,
      'the raw body was consumed by a body parser, so its signature cannot be checked; mount the handler before express.json() or use express.raw()',
    )
  }
  return readBoundedBody(req, maxBytes, timeoutMs)
}

function answer(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    // A refused body may be unread; it must not be taken as the next request on this connection.
    ...(status < 300 ? {} : { Connection: 'close' }),
  })
  res.end(text)
}
