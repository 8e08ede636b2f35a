import http, { type IncomingHttpHeaders } from 'node:http'
import https from 'node:https'
import type { SendAttemptResult } from './send-attempt-result.js'

/** What one POST to a customer endpoint came to, in Apple's terms plus what we saw. */
export interface PostOutcome {
  result: SendAttemptResult
  /** The last HTTP status received, if any. */
  httpStatus?: number
  /** The URL the last request went to (differs from the target after a redirect). */
  url: string
  /** From the first byte sent to the outcome. */
  durationMs: number
  /** The response body when the result is SUCCESS and `readBody` was asked for. */
  body?: Buffer
  /** Why it failed, for inspection: a Node error code or a short explanation. */
  detail?: string
}

export interface PostOptions {
  /** The whole attempt, redirects included, must finish within this. */
  timeoutMs: number
  signal?: AbortSignal
  /** Keep the response body (performance tests check it); bodies over this size are invalid. */
  readBodyLimitBytes?: number
}

/** Redirects are followed this many times at most before the attempt counts as circular. */
const MAX_REDIRECTS = 5
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
/** Charsets a JSON acknowledgement may declare; anything else is UNSUPPORTED_CHARSET. */
const SUPPORTED_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii', 'iso-8859-1'])
/** Errors that mean the TCP connection never came up. */
const CONNECT_ERRORS = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
])
const TLS_ERROR = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$)/

/**
 * POSTs `{"signedPayload": ...}` to a customer URL and classifies the outcome with Apple's
 * `sendAttemptResult` codes:
 * - HTTP 200 to 206 → SUCCESS (Apple: "HTTP 200, or any HTTP code between 200 and 206"), any
 *   other status → UNSUCCESSFUL_HTTP_RESPONSE_CODE;
 * - no answer within `timeoutMs` → TIMED_OUT;
 * - the connection could not be opened (refused, unreachable, DNS) → SOCKET_ISSUE;
 * - connected, then closed or reset before any response → NO_RESPONSE;
 * - response headers arrived but the body was cut short → PREMATURE_CLOSE;
 * - an unparsable HTTP response, or a 2xx body over the size limit → INVALID_RESPONSE;
 * - a TLS handshake or certificate failure → TLS_ISSUE;
 * - a 2xx declaring a charset other than UTF-8/ASCII/Latin-1 → UNSUPPORTED_CHARSET;
 * - a redirect back to a URL already visited, or more than 5 redirects → CIRCULAR_REDIRECT;
 * - anything else (a redirect to another origin is not followed, see below) → OTHER.
 * Redirects are followed only within the configured URL's origin: the simulator never sends a
 * payload anywhere its caller did not configure. A cross-origin redirect counts as an
 * UNSUCCESSFUL_HTTP_RESPONSE_CODE with the 3xx status.
 */
export async function postSignedPayload(
  target: string,
  signedPayload: string,
  options: PostOptions,
): Promise<PostOutcome> {
  const started = performance.now()
  const deadline = started + options.timeoutMs
  const body = Buffer.from(JSON.stringify({ signedPayload }), 'utf8')
  const elapsed = (): number => Math.round(performance.now() - started)

  let url: URL
  try {
    url = new URL(target)
  } catch {
    return { result: 'OTHER', url: target, durationMs: 0, detail: 'invalid URL' }
  }
  const origin = url.origin
  const visited = new Set([url.href])

  for (let redirects = 0; ; redirects++) {
    const answer = await requestOnce(url, body, deadline - performance.now(), options)
    if (answer.kind === 'failure') {
      return {
        result: answer.result,
        url: url.href,
        durationMs: elapsed(),
        detail: answer.detail,
        ...(answer.httpStatus === undefined ? {} : { httpStatus: answer.httpStatus }),
      }
    }
    const { status, headers } = answer
    const base = { url: url.href, httpStatus: status, durationMs: elapsed() }
    const location = headers.location
    if (REDIRECT_STATUSES.has(status) && location !== undefined) {
      let next: URL
      try {
        next = new URL(location, url)
      } catch {
        return { ...base, result: 'UNSUCCESSFUL_HTTP_RESPONSE_CODE', detail: 'bad Location' }
      }
      if (visited.has(next.href) || redirects >= MAX_REDIRECTS) {
        return { ...base, result: 'CIRCULAR_REDIRECT', detail: `redirected to ${next.href}` }
      }
      if (next.origin !== origin) {
        return {
          ...base,
          result: 'UNSUCCESSFUL_HTTP_RESPONSE_CODE',
          detail: `redirect to another origin not followed: ${next.origin}`,
        }
      }
      visited.add(next.href)
      url = next
      continue
    }
    if (status < 200 || status > 206) return { ...base, result: 'UNSUCCESSFUL_HTTP_RESPONSE_CODE' }
    const charset = charsetOf(headers['content-type'])
    if (charset !== undefined && !SUPPORTED_CHARSETS.has(charset)) {
      return { ...base, result: 'UNSUPPORTED_CHARSET', detail: `charset ${charset}` }
    }
    if (answer.oversized) return { ...base, result: 'INVALID_RESPONSE', detail: 'body too large' }
    return options.readBodyLimitBytes === undefined
      ? { ...base, result: 'SUCCESS' }
      : { ...base, result: 'SUCCESS', body: answer.body }
  }
}

type RawAnswer =
  | {
      kind: 'response'
      status: number
      headers: IncomingHttpHeaders
      body: Buffer
      oversized: boolean
    }
  | { kind: 'failure'; result: SendAttemptResult; detail: string; httpStatus?: number }

function requestOnce(
  url: URL,
  payload: Buffer,
  remainingMs: number,
  options: PostOptions,
): Promise<RawAnswer> {
  if (remainingMs <= 0) {
    return Promise.resolve({ kind: 'failure', result: 'TIMED_OUT', detail: 'deadline passed' })
  }
  if (options.signal?.aborted === true) {
    return Promise.resolve({ kind: 'failure', result: 'OTHER', detail: 'aborted' })
  }
  const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined
  if (transport === undefined) {
    return Promise.resolve({ kind: 'failure', result: 'OTHER', detail: `protocol ${url.protocol}` })
  }
  const limit = options.readBodyLimitBytes ?? 64 * 1024

  return new Promise((resolve) => {
    let settled = false
    let connected = false
    let status: number | undefined
    const settle = (answer: RawAnswer): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      resolve(answer)
      // Whatever is still open (a slow body, a hung socket) is of no further interest.
      request.destroy()
    }
    const fail = (result: SendAttemptResult, detail: string): void => {
      settle({
        kind: 'failure',
        result,
        detail,
        ...(status === undefined ? {} : { httpStatus: status }),
      })
    }

    // A fresh connection per attempt (no agent): nothing lingers after close(), and a keep-alive
    // socket from an earlier attempt cannot hide a server that has since gone away.
    const request = transport.request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': payload.length,
          'user-agent': 'notiprobe-simulator (App Store Server Notifications)',
          connection: 'close',
        },
      },
      (response) => {
        status = response.statusCode ?? 0
        const chunks: Buffer[] = []
        let size = 0
        let oversized = false
        response.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > limit) oversized = true
          else chunks.push(chunk)
        })
        response.on('end', () => {
          settle({
            kind: 'response',
            status: status ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            oversized,
          })
        })
        response.on('error', (error: NodeJS.ErrnoException) => {
          fail('PREMATURE_CLOSE', error.code ?? error.message)
        })
        response.on('close', () => {
          if (!response.complete) fail('PREMATURE_CLOSE', 'connection closed mid-body')
        })
      },
    )
    request.on('socket', (socket) => {
      socket.once('connect', () => (connected = true))
    })
    request.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? ''
      if (status !== undefined) fail('PREMATURE_CLOSE', code || error.message)
      else if (TLS_ERROR.test(code)) fail('TLS_ISSUE', code)
      else if (code.startsWith('HPE_')) fail('INVALID_RESPONSE', code)
      else if (CONNECT_ERRORS.has(code) || !connected) fail('SOCKET_ISSUE', code || error.message)
      else if (code === 'ECONNRESET' || code === 'EPIPE') fail('NO_RESPONSE', code)
      else fail('OTHER', code || error.message)
    })
    const timer = setTimeout(() => fail('TIMED_OUT', 'no complete answer in time'), remainingMs)
    const onAbort = (): void => fail('OTHER', 'aborted')
    options.signal?.addEventListener('abort', onAbort, { once: true })
    request.end(payload)
  })
}

function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')
  return match?.[1]?.toLowerCase()
}
