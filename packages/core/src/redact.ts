/**
 * Redaction of secrets from any text or value before it can reach a message, a log line or JSON:
 * Authorization values, bearer tokens, JWT-shaped strings, PEM blocks, `client_secret=`-style
 * parameters and secrets registered at runtime, also URL-encoded, HTML- or JSON-escaped,
 * base64-wrapped or split across lines.
 *
 * Text from outside may be hostile, so redaction is linear: registered secrets are literals found
 * with `indexOf`, then one pass of one regular expression whose every alternative is linear (a
 * pattern that scans a run of characters starts only where such a run starts, a lookbehind, so no
 * run is scanned twice).
 */

import { replaceRegisteredSecrets } from './registered-secrets.js'

export { registerSecret, type RegisterSecretOptions } from './registered-secrets.js'

const REDACTED = '[REDACTED]'

const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|client_?secret|access_?token|refresh_?token|id_?token|private_?key|password|passphrase|secret|token|jwt|bearer|assertion|client_assertion)$/i

/**
 * The fixed patterns, applied in this order (a header's value may first have lost its bearer
 * token). Each is linear on any text: a pattern that scans a run of characters starts only where
 * such a run starts, so no run is scanned twice.
 */
const PATTERNS: readonly (readonly [RegExp, string])[] = [
  // PEM blocks, complete or cut short.
  [/-----BEGIN [A-Z0-9 ]{1,64}-----[\s\S]*?(?:-----END [A-Z0-9 ]{1,64}-----|$)/g, '[REDACTED PEM]'],
  // A JWT or JWS: base64url segments starting like a JSON header; the last may be cut off.
  [/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?/g, '[REDACTED JWT]'],
  // Authorization schemes followed by a credential.
  [/\b(Bearer|Basic|Digest)[ \t]+[A-Za-z0-9\-._~+/=]+/gi, `$1 ${REDACTED}`],
  // Header lines and JSON/form fields that carry secrets.
  [
    /\b((?:proxy-)?authorization|cookie|x-api-key)(["']?[ \t]*[:=][ \t]*["']?)[^"'\r\n,}]+/gi,
    `$1$2${REDACTED}`,
  ],
  // After `=` (forms, query strings) any value; after `:` only a quoted one (JSON, inspected
  // objects), so that a message naming the field ("privateKey: is required") stays readable.
  [
    /\b(client_secret|clientSecret|access_token|accessToken|refresh_token|id_token|password|private_?key|privateKey|client_assertion)(["']?[ \t]*=[ \t]*["']?|["']?[ \t]*:[ \t]*["'])[^"'&\s,}]+/gi,
    `$1$2${REDACTED}`,
  ],
]

/** Returns `text` with every secret it recognises replaced by a `[REDACTED ...]` marker. */
export function redact(text: string): string {
  let result = replaceRegisteredSecrets(text, REDACTED)
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement)
  return result
}

/**
 * Redacts at most `maxChars` characters of `text`, cut before redaction so that hostile text of
 * any size costs the same; the cut is made after redacting a margin past it, so that a secret
 * straddling the cut is redacted whole rather than left half visible.
 */
export function redactExcerpt(text: string, maxChars: number): string {
  if (text.length <= maxChars) return redact(text)
  const redacted = redact(text.slice(0, maxChars + CUT_MARGIN))
  return `${redacted.slice(0, maxChars)}… [${text.length - maxChars} more characters]`
}

/** Longer than any key or secret notiprobe registers, so one cut at the cut point is whole. */
const CUT_MARGIN = 16_384

/**
 * Returns a copy of `value` safe to print: strings redacted, values under secret-named keys
 * replaced, depth and cycles bounded. Errors become `{name, message, code}`.
 */
export function redactValue(value: unknown, depth = 6, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redact(value)
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value
  }
  if (seen.has(value)) return '[Circular]'
  if (depth <= 0) return '[Object]'
  seen.add(value)
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code
    return {
      name: value.name,
      message: redact(value.message),
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    }
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth - 1, seen))
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(item, depth - 1, seen)
  }
  return out
}
