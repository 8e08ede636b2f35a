import { NotificationTestError } from '@notiprobe/core'
import {
  bodyExcerpt,
  failedMessage,
  kindForHttpStatus,
  type Operation,
  type ResponseErrorMapper,
  type VendorResponse,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import type { AppleEnvironment } from './environment.js'
import { APPLE_ERROR_CODES } from './error-codes.js'

const errorBodySchema = z.lazy(() =>
  z.looseObject({
    errorCode: z.number().check(z.int()),
    errorMessage: z.optional(z.string()),
  }),
)

/** `Request ID: 5SZKBFLHN2BEB5NJ3UWSGOBHGA.0.0` in Apple's plain-text 401 body. */
const REQUEST_ID = /Request ID:\s*([A-Za-z0-9._-]{1,128})/i

export interface AppleErrorContext {
  /** The environment the call went to; shapes the 401 hint. */
  readonly environment?: AppleEnvironment | undefined
}

/**
 * The one place an Apple error answer becomes a NotificationTestError: the plain-text 401, the
 * `{errorCode, errorMessage}` body (known codes from the table, unknown ones kept as numbers), and
 * bodies that are not Apple's at all (an HTML 502 from a proxy). `retryable` is true only where
 * Apple says a retry may succeed.
 */
export function mapAppleError(
  response: VendorResponse,
  operation: Operation,
  context: AppleErrorContext = {},
): NotificationTestError {
  const { status } = response
  const base = {
    vendor: 'apple',
    operation: operation.name,
    httpStatus: status,
    retryAfterMs: response.retryAfterMs,
  }
  if (status === 401) return unauthenticated(response, operation, context)

  const parsed = z.safeParse(errorBodySchema, response.json)
  if (!parsed.success) {
    const type = response.headers['content-type']?.split(';')[0]?.trim() || 'no content type'
    const what =
      response.body.trim() === ''
        ? 'an empty body'
        : `a ${type} body that is not Apple's JSON error`
    const retryHint =
      status >= 500 || status === 429
        ? ' This is usually a proxy or an outage; try again later.'
        : ''
    return new NotificationTestError({
      ...base,
      kind: kindForHttpStatus(status),
      message: failedMessage(
        operation,
        `Apple answered HTTP ${status} with ${what} (${response.body.length} bytes).${retryHint}`,
      ),
      vendorMessage: bodyExcerpt(response.body),
    })
  }

  const { errorCode, errorMessage } = parsed.data
  const info = APPLE_ERROR_CODES.get(errorCode)
  if (info === undefined) {
    return new NotificationTestError({
      ...base,
      kind: kindForHttpStatus(status),
      vendorCode: errorCode,
      vendorMessage: errorMessage,
      message: failedMessage(
        operation,
        `Apple answered HTTP ${status} with error ${errorCode}, a code notiprobe does not know${errorMessage === undefined ? '' : `: ${excerpt(errorMessage)}`}`,
      ),
    })
  }
  const wait =
    info.retryable && response.retryAfterMs !== undefined
      ? ` Apple asks to wait ${Math.ceil(response.retryAfterMs / 1000)} s.`
      : ''
  return new NotificationTestError({
    ...base,
    kind: info.kind,
    retryable: info.retryable,
    vendorCode: errorCode,
    vendorMessage: errorMessage,
    message: failedMessage(
      operation,
      `Apple error ${errorCode} ${info.name} (HTTP ${status}). ${info.advice}${wait}`,
    ),
  })
}

/** The mapper the transport calls, bound to the environment the calls go to. */
export function appleErrorMapper(context: AppleErrorContext): ResponseErrorMapper {
  return (response, operation) => mapAppleError(response, operation, context)
}

function unauthenticated(
  response: VendorResponse,
  operation: Operation,
  context: AppleErrorContext,
): NotificationTestError {
  // Apple's 401 body is one short line: only its start is read, whatever a proxy sent.
  const head = response.body.slice(0, 4096)
  const requestId = REQUEST_ID.exec(head)?.[1]
  const firstLine = head.trimStart().split(/\r?\n/, 1)[0]?.trim()
  const production =
    context.environment === 'Production'
      ? ' In Production, every call fails with 401 until the app has shipped to the App Store once: use Sandbox until then.'
      : ' (In Production, calls also fail with 401 until the app has shipped to the App Store once.)'
  return new NotificationTestError({
    vendor: 'apple',
    operation: operation.name,
    kind: 'auth',
    httpStatus: 401,
    requestId,
    vendorMessage: firstLine === undefined || firstLine === '' ? undefined : bodyExcerpt(firstLine),
    message:
      `${operation.label} failed: Apple refused the credentials (HTTP 401${requestId === undefined ? '' : `, request ID ${requestId}`}). ` +
      'Check that keyId is the id of an In-App Purchase key, that the private key is that key, that issuerId is your team’s issuer id, ' +
      `that bundleId is the app’s bundle id, and that this machine’s clock is right (each token is valid for 5 minutes).${production}`,
  })
}

/** A vendor's text cut to a length a message can carry. */
function excerpt(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}
