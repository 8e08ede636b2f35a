import { randomBytes, randomUUID } from 'node:crypto'

/** Apple's test notification tokens look like `<uuid>_<epoch ms>`. */
export function newTestNotificationToken(now: number): string {
  return `${randomUUID()}_${String(now)}`
}

const TEST_TOKEN_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_\d{1,16}$/i

export function isWellFormedTestNotificationToken(token: string): boolean {
  return TEST_TOKEN_PATTERN.test(token)
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Performance test request ids are UUIDs. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value)
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

function randomBase32(length: number): string {
  let out = ''
  for (const byte of randomBytes(length)) out += BASE32.charAt(byte % 32)
  return out
}

/** The request id Apple prints in its plain-text 401 body, e.g. `5SZKBFLHN2BEB5NJ3UWSGOBHGA.0.0`. */
export function newAppleRequestId(): string {
  return `${randomBase32(26)}.0.0`
}

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** App Store Connect key ids are 10 upper-case letters and digits. */
export function newKeyId(): string {
  let out = ''
  for (const byte of randomBytes(10)) out += KEY_ID_ALPHABET.charAt(byte % KEY_ID_ALPHABET.length)
  return out
}
