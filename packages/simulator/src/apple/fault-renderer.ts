import { STATUS_CODES, type ServerResponse } from 'node:http'
import type { FaultRenderer, MalformedKind } from '../common/index.js'
import { sendJson, sendText } from '../common/index.js'
import { APPLE_ERRORS, sendAppleError } from './error-codes.js'
import { sendUnauthenticated } from './jwt-auth.js'

/** A 429 in Apple's form: the JSON body and a `Retry-After` holding a UNIX time in milliseconds. */
export function sendRateLimited(res: ServerResponse, retryAtMs: number): void {
  sendAppleError(res, 'RateLimitExceeded', { headers: { 'retry-after': String(retryAtMs) } })
}

/**
 * Injected faults in Apple's shapes: 500 is GeneralInternal (5000000), any other 5xx the
 * retryable 5000001, 401 the plain-text "Unauthenticated", 400 GeneralBadRequest, other statuses
 * a code made from the status. A fault 429 asks the client to come back a second later.
 */
export function appleFaultRenderer(now: () => number): FaultRenderer {
  return {
    error(res, status) {
      if (status === 401) return sendUnauthenticated(res)
      if (status === 429) return sendRateLimited(res, now() + 1000)
      if (status === 500) return sendAppleError(res, 'GeneralInternal')
      if (status > 500) return sendAppleError(res, 'GeneralInternalRetryable', { status })
      if (status === 400) return sendAppleError(res, 'GeneralBadRequest')
      sendJson(res, status, {
        errorCode: status * 10_000,
        errorMessage: STATUS_CODES[status] ?? '',
      })
    },
    rateLimited(res) {
      sendRateLimited(res, now() + 1000)
    },
    malformed(res, kind, status) {
      sendAppleMalformed(res, kind, status)
    },
  }
}

/**
 * Broken answers as a client of Apple may meet them: an HTML page from a proxy in front of the
 * API (its title names the real status), JSON cut off mid-value, or JSON that does not parse.
 */
function sendAppleMalformed(res: ServerResponse, kind: MalformedKind, status: number): void {
  if (res.headersSent || res.destroyed) return
  const reason = STATUS_CODES[status] ?? 'Error'
  if (kind === 'html') {
    const html = `<html>\n<head><title>${String(status)} ${reason}</title></head>\n<body>\n<center><h1>${String(status)} ${reason}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`
    sendText(res, status, html, {}, 'text/html')
    return
  }
  const { errorCode, errorMessage } = APPLE_ERRORS.GeneralInternalRetryable
  const full = JSON.stringify({ errorCode, errorMessage })
  if (kind === 'invalid-json') {
    sendText(
      res,
      status,
      `{"errorCode":${String(errorCode)},"errorMessage":`,
      {},
      'application/json',
    )
    return
  }
  // Truncated: declare the full length, send half, then cut the connection.
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(full),
  })
  res.write(full.slice(0, Math.floor(full.length / 2)), () => res.socket?.destroy())
}
