import type { ServerResponse } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { FaultRenderer } from '../common/faults.js'
import { sendJson, sendText, type ResponseHeaders } from '../common/http-io.js'

const DOCS = 'https://docs.github.com/rest'
const RATE_LIMIT_DOCS =
  'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api'

/** One entry of a `validation-error`'s `errors`. */
export interface ValidationIssue {
  resource?: string
  field?: string
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom'
  message?: string
}

/**
 * `basic-error`: `{message, documentation_url, status}` with `status` a string, as GitHub's
 * current answers carry it.
 */
export function sendBasicError(
  res: ServerResponse,
  status: number,
  message: string,
  headers?: ResponseHeaders,
  documentationUrl = DOCS,
): void {
  sendJson(
    res,
    status,
    { message, documentation_url: documentationUrl, status: String(status) },
    headers,
  )
}

export function sendNotFound(res: ServerResponse): void {
  sendBasicError(res, 404, 'Not Found')
}

/** 422 `validation-error`. */
export function sendValidationError(
  res: ServerResponse,
  message: string,
  issues: readonly ValidationIssue[],
): void {
  sendJson(res, 422, { message, errors: issues, documentation_url: DOCS, status: '422' })
}

/**
 * The secondary limit: 403 or 429, a message that names the secondary rate limit (clients match
 * `/secondary rate/i`), with `retry-after` or, when `retryAfterSeconds` is null, without it.
 */
export function sendSecondaryRateLimited(
  res: ServerResponse,
  status: number,
  retryAfterSeconds: number | null,
): void {
  sendBasicError(
    res,
    status,
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) },
    `${RATE_LIMIT_DOCS}#about-secondary-rate-limits`,
  )
}

/** The primary limit: 403 or 429 with `x-ratelimit-remaining: 0` (set by the caller). */
export function sendPrimaryRateLimited(res: ServerResponse, status: number, who: string): void {
  sendBasicError(
    res,
    status,
    `API rate limit exceeded for ${who}. Check x-ratelimit-reset before trying again.`,
    {},
    `${RATE_LIMIT_DOCS}#about-the-primary-rate-limit`,
  )
}

/**
 * Faults answer in GitHub's shapes: a status in `basic-error` form (429 as a secondary limit
 * without `retry-after`, so the "wait at least a minute" path is exercised), `rateLimit` as the
 * secondary limit with the configured `retry-after`, and GitHub-looking broken bodies.
 */
export function githubFaultRenderer(
  secondary: () => { status: number; retryAfterSeconds: number | null },
): FaultRenderer {
  return {
    error(res, status) {
      if (status === 429) sendSecondaryRateLimited(res, 429, null)
      else
        sendBasicError(
          res,
          status,
          status >= 500 ? 'Server Error' : (STATUS_CODES[status] ?? 'Error'),
        )
    },
    rateLimited(res) {
      const { status, retryAfterSeconds } = secondary()
      sendSecondaryRateLimited(res, status, retryAfterSeconds)
    },
    malformed(res, kind, status) {
      if (kind === 'invalid-json') {
        sendText(
          res,
          status,
          '{"message":"Server Error","documentation_url":',
          {},
          'application/json; charset=utf-8',
        )
      } else if (kind === 'html') {
        sendText(
          res,
          status,
          `<!DOCTYPE html><html><head><title>Unicorn! · GitHub</title></head><body><p>We had issues producing the response to your request.</p></body></html>\n`,
          {},
          'text/html; charset=utf-8',
        )
      } else {
        const full = JSON.stringify({ message: 'this body is cut short', documentation_url: DOCS })
        if (res.headersSent || res.destroyed) return
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(full),
        })
        res.write(full.slice(0, Math.floor(full.length / 2)), () => res.socket?.destroy())
      }
    },
  }
}
