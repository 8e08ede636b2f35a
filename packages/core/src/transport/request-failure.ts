import type { ErrorKind } from '../error-kind.js'
import type { RequestReach } from '../retry-policy.js'
import { BodyReadFailure } from './read-body.js'
import { PROXY_REPLY_FAILURES } from './tunnel-agent.js'

/** A failure before a usable HTTP answer, classified by what it says about the request's fate. */
export interface NetworkFailure {
  readonly kind: Extract<ErrorKind, 'network' | 'timeout' | 'invalid_response'>
  readonly reach: RequestReach
  /** The system or axios code (ECONNREFUSED), or the body-read reason's stand-in. */
  readonly code: string
  readonly description: string
}

// Errors raised before the request could be written: repeating it cannot duplicate anything.
const NOT_SENT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name could not be resolved',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  ...PROXY_REPLY_FAILURES,
}

// Errors after the request may have been written: the vendor may have acted on it.
const MAY_HAVE_ARRIVED: Readonly<Record<string, string>> = {
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
}

const TIMED_OUT = new Set(['ETIMEDOUT', 'ECONNABORTED'])

// The TLS handshake refused the server's certificate: no HTTP byte was written.
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/**
 * Classifies what failed a request: a BodyReadFailure by its typed reason, anything else (axios
 * and Node errors) by its `code`. Never by message text, so rewording a message cannot change what
 * is retried.
 */
export function classifyRequestFailure(caught: unknown): NetworkFailure {
  if (caught instanceof BodyReadFailure) {
    if (caught.reason === 'too_large') {
      return {
        kind: 'invalid_response',
        reach: 'answered',
        code: 'ERR_BAD_RESPONSE',
        description: 'the response was larger than allowed',
      }
    }
    // A body cut short after the headers: the vendor may have acted, the answer is lost. Like a
    // dropped connection, reads may repeat it and sends must not.
    return {
      kind: 'network',
      reach: 'unknown',
      code: caught.code ?? 'ECONNRESET',
      description: caught.message,
    }
  }
  const raw = (caught as { code?: unknown } | null)?.code
  const code = typeof raw === 'string' ? raw : ''
  const notSent = NOT_SENT[code]
  if (notSent !== undefined)
    return { kind: 'network', reach: 'not_sent', code, description: notSent }
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    return {
      kind: 'network',
      reach: 'not_sent',
      code,
      description:
        "the server's TLS certificate is not trusted (behind a TLS-inspecting proxy, trust its CA with NODE_EXTRA_CA_CERTS or the ca option)",
    }
  }
  if (TIMED_OUT.has(code)) {
    return { kind: 'timeout', reach: 'unknown', code, description: 'the connection timed out' }
  }
  if (code === 'ERR_BAD_RESPONSE') {
    return {
      kind: 'invalid_response',
      reach: 'answered',
      code,
      description: 'the response could not be read',
    }
  }
  return {
    kind: 'network',
    reach: 'unknown',
    code: code || 'ECONNRESET',
    description: MAY_HAVE_ARRIVED[code] ?? 'the connection was dropped',
  }
}
