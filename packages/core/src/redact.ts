/**
 * Redaction of secrets from any text or value before it can reach a message, a log line or JSON:
 * Authorization values, bearer tokens, JWT-shaped strings, PEM blocks, `client_secret=`-style
 * parameters and secrets registered at runtime.
 */

const REDACTED = '[REDACTED]'

const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|client_?secret|access_?token|refresh_?token|id_?token|private_?key|password|passphrase|secret|token|jwt|bearer|assertion|client_assertion)$/i

const PATTERNS: readonly (readonly [RegExp, string])[] = [
  // PEM blocks, complete or cut short.
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g, '[REDACTED PEM]'],
  // Three base64url segments starting like a JSON header: a JWT or JWS.
  [/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g, '[REDACTED JWT]'],
  // Authorization schemes followed by a credential.
  [/\b(Bearer|Basic|Digest)\s+[A-Za-z0-9\-._~+/=]+/gi, `$1 ${REDACTED}`],
  // Header lines and JSON/form fields that carry secrets.
  [
    /\b((?:proxy-)?authorization|cookie|x-api-key)(["']?\s*[:=]\s*["']?)[^"'\r\n,}]+/gi,
    `$1$2${REDACTED}`,
  ],
  // After `=` (forms, query strings) any value; after `:` only a quoted one (JSON, inspected
  // objects), so that a message naming the field ("privateKey: is required") stays readable.
  [
    /\b(client_secret|clientSecret|access_token|accessToken|refresh_token|id_token|password|private_?key|privateKey|client_assertion)(["']?\s*=\s*["']?|["']?\s*:\s*["'])[^"'&\s,}]+/gi,
    `$1$2${REDACTED}`,
  ],
]

const registeredSecrets = new Set<string>()

/**
 * Registers a secret (a client secret, a private key) so that `redact` removes it wherever it
 * appears, even where no pattern could recognise it. Short values are ignored: they would redact
 * ordinary words.
 */
export function registerSecret(secret: string | undefined): void {
  if (secret === undefined) return
  const trimmed = secret.trim()
  if (trimmed.length >= 8) registeredSecrets.add(trimmed)
}

/** Returns `text` with every secret it recognises replaced by a `[REDACTED ...]` marker. */
export function redact(text: string): string {
  let result = text
  for (const secret of registeredSecrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED)
  }
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement)
  return result
}

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
