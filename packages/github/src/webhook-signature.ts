import { createHmac, timingSafeEqual } from 'node:crypto'

/** `X-Hub-Signature-256`: `sha256=` and the HMAC-SHA256 of the raw body, in hex. */
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i

/** The `X-Hub-Signature-256` value GitHub sends for `body` under `secret`. */
export function signWebhookBody(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/** True when the header has the form GitHub sends, so that the body is worth reading. */
export function isSignatureHeader(header: string): boolean {
  return SIGNATURE.test(header)
}

/**
 * Checks `X-Hub-Signature-256` against the raw body bytes: the form and length first, then a
 * constant-time comparison of the digests, never `===` on text.
 */
export function verifyWebhookSignature(
  secret: string,
  body: Uint8Array,
  header: string | undefined,
): boolean {
  const hex = header === undefined ? undefined : SIGNATURE.exec(header.trim())?.[1]
  if (hex === undefined) return false
  const given = Buffer.from(hex, 'hex')
  const computed = createHmac('sha256', secret).update(body).digest()
  return given.length === computed.length && timingSafeEqual(given, computed)
}
