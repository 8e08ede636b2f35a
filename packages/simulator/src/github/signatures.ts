import { createHmac } from 'node:crypto'

/** `X-Hub-Signature-256`: `sha256=` + lowercase hex HMAC-SHA256 of the exact body bytes. */
export function signatureSha256(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/** `X-Hub-Signature`: the legacy `sha1=` HMAC GitHub still sends beside the SHA-256 one. */
export function signatureSha1(secret: string, body: Buffer): string {
  return `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`
}
