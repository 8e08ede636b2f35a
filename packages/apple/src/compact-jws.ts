import { VerificationFailure } from './verification-failure.js'

/** Apple's signed payloads are a few KiB; a notification with nested transactions stays far below. */
export const MAX_SIGNED_PAYLOAD_LENGTH = 256 * 1024

const SEGMENT = /^[A-Za-z0-9_-]+$/

/** The parts of a compact JWS, decoded but not yet trusted. */
export interface CompactJws {
  readonly compact: string
  readonly header: Readonly<Record<string, unknown>>
  readonly payload: Readonly<Record<string, unknown>>
}

/**
 * Splits and decodes a compact JWS, refusing anything that is not exactly one canonical encoding:
 * a changed padding bit would otherwise decode to the same bytes and go unnoticed.
 */
export function parseCompactJws(input: unknown): CompactJws {
  if (typeof input !== 'string') throw new VerificationFailure('the signed payload is not a string')
  const compact = input.trim()
  if (compact.length > MAX_SIGNED_PAYLOAD_LENGTH) {
    throw new VerificationFailure(
      `the signed payload is ${compact.length} characters, more than the ${MAX_SIGNED_PAYLOAD_LENGTH} allowed`,
    )
  }
  const segments = compact.split('.')
  if (segments.length !== 3) {
    throw new VerificationFailure(
      `the signed payload is not a compact JWS (expected 3 dot-separated parts, got ${segments.length})`,
    )
  }
  const [header, payload, signature] = segments as [string, string, string]
  const decoded = {
    compact,
    header: decodeJsonSegment(header, 'header'),
    payload: decodeJsonSegment(payload, 'payload'),
  }
  // The signature itself is checked later, with the leaf's key; here only its encoding.
  decodeSegment(signature, 'signature')
  return decoded
}

function decodeSegment(segment: string, name: string): Buffer {
  if (!SEGMENT.test(segment)) throw new VerificationFailure(`the JWS ${name} is not base64url`)
  const bytes = Buffer.from(segment, 'base64url')
  if (bytes.toString('base64url') !== segment) {
    throw new VerificationFailure(`the JWS ${name} is not canonical base64url`)
  }
  return bytes
}

function decodeJsonSegment(segment: string, name: string): Record<string, unknown> {
  const bytes = decodeSegment(segment, name)
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw new VerificationFailure(`the JWS ${name} is not JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new VerificationFailure(`the JWS ${name} is not a JSON object`)
  }
  return value as Record<string, unknown>
}

/** Decodes standard base64 (as `x5c` uses), refusing non-canonical encodings. */
export function decodeStandardBase64(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new VerificationFailure(`${what} is not base64`)
  const bytes = Buffer.from(text, 'base64')
  if (bytes.toString('base64') !== text)
    throw new VerificationFailure(`${what} is not canonical base64`)
  return bytes
}
