import type { ServerResponse } from 'node:http'
import { STATUS_CODES } from 'node:http'
import { randomHex } from '../common/clock.js'
import { sendMalformed, type FaultRenderer, type MalformedKind } from '../common/faults.js'
import { sendJson, sendText } from '../common/http-io.js'

/** One localized message, as SailPoint's `ErrorMessageDto`. */
export interface SailPointErrorMessage {
  locale: string
  localeOrigin: 'DEFAULT' | 'REQUEST' | null
  text: string
}

/** SailPoint's `ErrorResponseDto`, the body of its 400, 403, 404 and 5xx answers. */
export interface ErrorResponseDto {
  detailCode: string
  trackingId: string
  messages: SailPointErrorMessage[]
  causes: SailPointErrorMessage[]
}

/** Detail codes by situation, in SailPoint's "<status>[.<sub>] <Reason>" form. */
export const DETAIL_CODES = {
  badRequest: '400.1 Bad Request Content',
  illegalValue: '400.1.1 Illegal value',
  forbidden: '403 Forbidden',
  notFound: '404 Not found',
  methodNotAllowed: '405 Method Not Allowed',
  unsupportedMediaType: '415 Unsupported Media Type',
  internal: '500.0 Internal Fault',
} as const

/** The detail code a bare status gets when a fault or the router answers with it. */
function detailCodeFor(status: number): string {
  switch (status) {
    case 400:
      return DETAIL_CODES.badRequest
    case 403:
      return DETAIL_CODES.forbidden
    case 404:
      return DETAIL_CODES.notFound
    case 405:
      return DETAIL_CODES.methodNotAllowed
    case 500:
      return DETAIL_CODES.internal
    default:
      return `${String(status)} ${STATUS_CODES[status] ?? 'Error'}`
  }
}

const DEFAULT_TEXT: Readonly<Record<number, string>> = {
  400: 'The request content is not valid.',
  403: 'The caller is not allowed to use this endpoint.',
  404: 'The requested resource does not exist.',
  500: 'The server hit an internal fault while handling the request.',
  502: 'An upstream service answered badly.',
  503: 'The service is temporarily unavailable.',
  504: 'An upstream service did not answer in time.',
}

function message(text: string): SailPointErrorMessage {
  return { locale: 'en-US', localeOrigin: 'DEFAULT', text }
}

export interface SailPointErrorWriter {
  /** Answers `status` with an `ErrorResponseDto`. */
  dto(
    res: ServerResponse,
    status: number,
    text?: string,
    options?: { detailCode?: string; causes?: readonly string[] },
  ): void
  /** 401 in SailPoint's bare `{error}` form. */
  unauthorized(res: ServerResponse, error: string): void
  /** 429 `{message: " Rate Limit Exceeded "}` with `Retry-After` in whole seconds. */
  rateLimited(res: ServerResponse, retryAfterSeconds: number): void
  /** The renderer the fault injector answers with. */
  faultRenderer: FaultRenderer
}

/** Seconds in `Retry-After` when a rate-limit *fault* (not the real limiter) answers. */
export const FAULT_RETRY_AFTER_SECONDS = 1

export function createErrorWriter(random: () => number): SailPointErrorWriter {
  const writer: SailPointErrorWriter = {
    dto(res, status, text, options = {}) {
      const body: ErrorResponseDto = {
        detailCode: options.detailCode ?? detailCodeFor(status),
        trackingId: randomHex(random, 32),
        messages: [message(text ?? DEFAULT_TEXT[status] ?? STATUS_CODES[status] ?? 'Error')],
        causes: (options.causes ?? []).map(message),
      }
      sendJson(res, status, body)
    },
    unauthorized(res, error) {
      sendJson(res, 401, { error })
    },
    rateLimited(res, retryAfterSeconds) {
      sendJson(
        res,
        429,
        { message: ' Rate Limit Exceeded ' },
        {
          'retry-after': String(retryAfterSeconds),
        },
      )
    },
    faultRenderer: {
      error(res, status) {
        if (status === 401) writer.unauthorized(res, 'JWT validation failed: JWT is expired')
        else if (status === 429) writer.rateLimited(res, FAULT_RETRY_AFTER_SECONDS)
        else writer.dto(res, status)
      },
      rateLimited(res) {
        writer.rateLimited(res, FAULT_RETRY_AFTER_SECONDS)
      },
      malformed(res: ServerResponse, kind: MalformedKind, status: number) {
        if (kind !== 'invalid-json') {
          sendMalformed(res, kind, status)
          return
        }
        // An ErrorResponseDto cut off mid-string: parses as nothing.
        sendText(
          res,
          status,
          '{"detailCode":"500.0 Internal Fault","trackingId":"',
          {},
          'application/json;charset=utf-8',
        )
      },
    },
  }
  return writer
}
