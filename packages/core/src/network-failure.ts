import type { ErrorKind } from './error-kind.js'
import type { RequestReach } from './retry-policy.js'

/** A failure before any HTTP answer, classified by what it says about the request's fate. */
export interface NetworkFailure {
  readonly kind: Extract<ErrorKind, 'network' | 'timeout' | 'aborted' | 'invalid_response'>
  readonly reach: RequestReach
  readonly code: string
  readonly description: string
}

// Errors raised before the request could be written: repeating it cannot duplicate anything.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name could not be resolved',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  ETIMEDOUT: 'the connection timed out',
  ERR_BAD_RESPONSE: 'the response could not be read',
}

/** Classifies a low-level error by its `code` (axios and Node use the same codes). */
export function classifyNetworkFailure(code: string | undefined, message: string): NetworkFailure {
  const known = code ?? ''
  if (NOT_SENT.has(known)) {
    return {
      kind: 'network',
      reach: 'not_sent',
      code: known,
      description: DESCRIPTIONS[known] ?? known,
    }
  }
  // A body cut short after the headers: the vendor may have acted, the answer is lost. Like a
  // dropped connection, reads may repeat it and sends must not.
  if (
    /stream has been aborted|aborted|premature close/i.test(message) &&
    !/maxContentLength/i.test(message)
  ) {
    return {
      kind: 'network',
      reach: 'unknown',
      code: known || 'ECONNRESET',
      description: 'the connection closed before the response ended',
    }
  }
  if (known === 'ERR_BAD_RESPONSE' || /maxContentLength/i.test(message)) {
    return {
      kind: 'invalid_response',
      reach: 'answered',
      code: known || 'ERR_BAD_RESPONSE',
      description: /maxContentLength/i.test(message)
        ? 'the response was larger than allowed'
        : 'the response could not be read',
    }
  }
  if (known === 'ETIMEDOUT' || known === 'ECONNABORTED') {
    return {
      kind: 'timeout',
      reach: 'unknown',
      code: known,
      description: 'the connection timed out',
    }
  }
  return {
    kind: 'network',
    reach: 'unknown',
    code: known || 'ECONNRESET',
    description:
      DESCRIPTIONS[known] ?? (/hang up/i.test(message) ? 'the connection was dropped' : message),
  }
}
