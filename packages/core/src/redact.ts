/**
 * Redaction of secrets from any text or value before it can reach a message, a log line or JSON:
 * Authorization values, bearer tokens, JWT-shaped strings, PEM blocks, `client_secret=`-style
 * parameters and secrets registered at runtime, also URL-encoded, HTML- or JSON-escaped,
 * base64-wrapped or split across lines.
 *
 * Text from outside may be hostile, so redaction is one pass of one regular expression whose every
 * alternative is linear: a pattern that can scan a run of characters starts only where such a run
 * starts (a lookbehind), so no run is scanned twice.
 */

const REDACTED = '[REDACTED]'

const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|client_?secret|access_?token|refresh_?token|id_?token|private_?key|password|passphrase|secret|token|jwt|bearer|assertion|client_assertion)$/i

/** `word` matching any letter case, as a character class per letter (the pattern has no `i` flag). */
function caseless(word: string): string {
  return word.replace(/[a-z]/gi, (letter) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`)
}

const alternatives = (words: readonly string[]): string => words.map(caseless).join('|')

/** The fixed patterns, each a named group so the replacement knows which one matched. */
const PATTERNS = [
  // PEM blocks, complete or cut short.
  String.raw`(?<pem>-----BEGIN [A-Z0-9 ]{1,64}-----[\s\S]*?(?:-----END [A-Z0-9 ]{1,64}-----|$))`,
  // A JWT or JWS: base64url segments starting like a JSON header; the last may be cut off.
  String.raw`(?<jwt>(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?)`,
  // Header lines and JSON/form fields that carry secrets.
  String.raw`(?<header>\b(?<headerName>${alternatives(['proxy-authorization', 'authorization', 'cookie', 'x-api-key'])})(?<headerSep>["']?[ \t]*[:=][ \t]*["']?)[^"'\r\n,}]+)`,
  // After `=` (forms, query strings) any value; after `:` only a quoted one (JSON, inspected
  // objects), so that a message naming the field ("privateKey: is required") stays readable.
  String.raw`(?<field>\b(?<fieldName>${alternatives(['client_secret', 'clientSecret', 'access_token', 'accessToken', 'refresh_token', 'id_token', 'password', 'private_key', 'privatekey', 'client_assertion'])})(?<fieldSep>["']?[ \t]*=[ \t]*["']?|["']?[ \t]*:[ \t]*["'])[^"'&\s,}]+)`,
  // Authorization schemes followed by a credential.
  String.raw`(?<scheme>\b(?<schemeName>${alternatives(['Bearer', 'Basic', 'Digest'])})[ \t]+[A-Za-z0-9\-._~+/=]+)`,
] as const

interface Registered {
  /** Epoch milliseconds after which the secret is forgotten; Infinity for the process's life. */
  readonly forgetAt: number
}

/** Secrets with a lifetime (access tokens) kept at most: the oldest is forgotten first. */
const MAX_EXPIRING_SECRETS = 64
const MIN_SECRET_LENGTH = 8

const registeredSecrets = new Map<string, Registered>()
let compiled: { readonly pattern: RegExp; readonly nextExpiry: number } | undefined

export interface RegisterSecretOptions {
  /** Forget the secret after this many milliseconds: a token that can no longer be used. */
  readonly forgetAfterMs?: number | undefined
}

/**
 * Registers a secret (a client secret, a private key, an opaque access token) so that `redact`
 * removes it, and its encoded forms, wherever it appears, even where no pattern could recognise
 * it. Short values are ignored: they would redact ordinary words. Returns a function that forgets
 * it, for a secret that can no longer be used.
 */
export function registerSecret(
  secret: string | undefined,
  options: RegisterSecretOptions = {},
): () => void {
  const trimmed = secret?.trim() ?? ''
  if (trimmed.length < MIN_SECRET_LENGTH) return () => undefined
  const { forgetAfterMs } = options
  const forgetAt =
    forgetAfterMs === undefined || !Number.isFinite(forgetAfterMs)
      ? Infinity
      : Date.now() + Math.max(0, forgetAfterMs)
  const previous = registeredSecrets.get(trimmed)
  // A secret also registered for good stays for good.
  if (previous === undefined || previous.forgetAt < forgetAt) {
    registeredSecrets.delete(trimmed)
    registeredSecrets.set(trimmed, { forgetAt })
    compiled = undefined
  }
  evictOldestExpiring()
  return () => {
    if (registeredSecrets.get(trimmed)?.forgetAt === forgetAt && registeredSecrets.delete(trimmed))
      compiled = undefined
  }
}

function evictOldestExpiring(): void {
  const expiring = [...registeredSecrets].filter(([, entry]) => entry.forgetAt !== Infinity)
  for (const [secret] of expiring.slice(0, Math.max(0, expiring.length - MAX_EXPIRING_SECRETS))) {
    registeredSecrets.delete(secret)
    compiled = undefined
  }
}

/** Returns `text` with every secret it recognises replaced by a `[REDACTED ...]` marker. */
export function redact(text: string): string {
  return text.replace(currentPattern(), replacement)
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

function replacement(match: string, ...args: unknown[]): string {
  const groups = args.at(-1) as Record<string, string | undefined>
  if (groups.secret !== undefined) return REDACTED
  if (groups.pem !== undefined) return '[REDACTED PEM]'
  if (groups.jwt !== undefined) return '[REDACTED JWT]'
  if (groups.header !== undefined) return `${groups.headerName}${groups.headerSep}${REDACTED}`
  if (groups.field !== undefined) return `${groups.fieldName}${groups.fieldSep}${REDACTED}`
  if (groups.scheme !== undefined) return `${groups.schemeName} ${REDACTED}`
  return match
}

/** The one pattern: registered secrets first, rebuilt when the registry changes or one expires. */
function currentPattern(): RegExp {
  const now = Date.now()
  if (compiled !== undefined && now < compiled.nextExpiry) return compiled.pattern
  let nextExpiry = Infinity
  for (const [secret, entry] of registeredSecrets) {
    if (entry.forgetAt <= now) registeredSecrets.delete(secret)
    else nextExpiry = Math.min(nextExpiry, entry.forgetAt)
  }
  const secrets = [...registeredSecrets.keys()].sort((a, b) => b.length - a.length)
  const forms = secrets.flatMap(secretForms)
  const all = forms.length === 0 ? PATTERNS : [`(?<secret>${forms.join('|')})`, ...PATTERNS]
  compiled = { pattern: new RegExp(all.join('|'), 'g'), nextExpiry }
  return compiled.pattern
}

/** A line break a vendor or a wrapper put inside a value: CRLF, LF (indented), or JSON's `\n`. */
const SPLIT = String.raw`(?:\r?\n[ \t]*|(?:\\r)?\\n)?`

/**
 * The forms a secret takes when a vendor echoes it: each character as itself, URL-encoded,
 * HTML-escaped or JSON-escaped, with line breaks anywhere; and its base64 (and base64url) inside
 * a longer base64 text, at each of the three byte alignments.
 */
function secretForms(secret: string): string[] {
  const chars = [...secret]
  const text = chars.map(charForms).join(SPLIT)
  return [text, ...base64Forms(secret)]
}

const HTML_NAMES: Readonly<Record<string, readonly string[]>> = {
  '&': ['&amp;'],
  '<': ['&lt;'],
  '>': ['&gt;'],
  '"': ['&quot;'],
  "'": ['&apos;'],
}

function charForms(char: string): string {
  const code = char.codePointAt(0) ?? 0
  const forms = new Set<string>([escapeRegExp(char)])
  forms.add(
    [...Buffer.from(char, 'utf8')]
      .map((byte) => `%${caseless(byte.toString(16).padStart(2, '0'))}`)
      .join(''),
  )
  if (char === ' ') forms.add(String.raw`\+`)
  forms.add(`&#0*${code};`)
  forms.add(`&#${caseless('x')}0*${caseless(code.toString(16))};`)
  for (const name of HTML_NAMES[char] ?? []) forms.add(caseless(name))
  if (code < 0x10000) forms.add(String.raw`\\u${caseless(code.toString(16).padStart(4, '0'))}`)
  if (char === '/' || char === '"' || char === '\\') forms.add(String.raw`\\` + escapeRegExp(char))
  return forms.size === 1 ? escapeRegExp(char) : `(?:${[...forms].join('|')})`
}

function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const forms: string[] = []
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64')
    // Only the characters made of the secret's bits alone: the rest depend on its neighbours.
    const first = Math.ceil((offset * 8) / 6)
    const end = Math.floor(((offset + bytes.length) * 8) / 6)
    const stable = encoded.slice(first, end)
    if (stable.length < MIN_SECRET_LENGTH) continue
    forms.push(
      [...stable]
        .map((char) => (char === '+' ? '[+-]' : char === '/' ? '[/_]' : char))
        .join(SPLIT),
    )
  }
  return forms
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, String.raw`\$&`)
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
