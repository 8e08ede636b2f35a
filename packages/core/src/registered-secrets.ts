/**
 * Secrets registered at runtime (a client secret, a private key, an opaque access token) and the
 * forms a vendor may echo them in: URL- or form-encoded, HTML- or JSON-escaped, inside base64 or
 * base64url, and split across lines. Each form is a literal, found with `indexOf`, so the cost is
 * linear in the text whatever it holds.
 */

interface Registered {
  /** Epoch milliseconds after which the secret is forgotten; Infinity for the process's life. */
  readonly forgetAt: number
  readonly forms: readonly string[]
}

export interface RegisterSecretOptions {
  /** Forget the secret after this many milliseconds: a token that can no longer be used. */
  readonly forgetAfterMs?: number | undefined
}

const MIN_SECRET_LENGTH = 8
/** Secrets with a lifetime (access tokens) kept at most: the oldest is forgotten first. */
const MAX_EXPIRING_SECRETS = 64

const registered = new Map<string, Registered>()
let nextExpiry = Infinity

/**
 * Registers a secret so that `redact` removes it, and its encoded forms, wherever it appears, even
 * where no pattern could recognise it. Short values are ignored: they would redact ordinary words.
 * Returns a function that forgets it; `forgetAfterMs` forgets it by itself.
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
  const previous = registered.get(trimmed)
  // A secret also registered for longer (or for good) keeps the longer life.
  if (previous === undefined || previous.forgetAt < forgetAt) {
    registered.delete(trimmed)
    registered.set(trimmed, { forgetAt, forms: previous?.forms ?? encodedForms(trimmed) })
    nextExpiry = Math.min(nextExpiry, forgetAt)
  }
  forgetOldestExpiring()
  return () => {
    if (registered.get(trimmed)?.forgetAt === forgetAt) registered.delete(trimmed)
  }
}

function forgetOldestExpiring(): void {
  let excess = -MAX_EXPIRING_SECRETS
  for (const entry of registered.values()) if (entry.forgetAt !== Infinity) excess++
  if (excess <= 0) return
  // A Map iterates in insertion order: the first expiring entries are the oldest.
  for (const [secret, entry] of registered) {
    if (excess <= 0) break
    if (entry.forgetAt === Infinity) continue
    registered.delete(secret)
    excess--
  }
}

function forgetExpired(now: number): void {
  if (now < nextExpiry) return
  nextExpiry = Infinity
  for (const [secret, entry] of registered) {
    if (entry.forgetAt <= now) registered.delete(secret)
    else nextExpiry = Math.min(nextExpiry, entry.forgetAt)
  }
}

/** `text` with every registered secret, in any of its forms, replaced by `marker`. */
export function replaceRegisteredSecrets(text: string, marker: string): string {
  forgetExpired(Date.now())
  if (registered.size === 0 || text.length < MIN_SECRET_LENGTH) return text
  const view = withoutLineBreaks(text)
  const spans: [number, number][] = []
  for (const { forms } of registered.values()) {
    for (const form of forms) {
      for (
        let at = view.text.indexOf(form);
        at !== -1;
        at = view.text.indexOf(form, at + form.length)
      ) {
        spans.push([view.origin(at), view.origin(at + form.length - 1) + 1])
      }
    }
  }
  if (spans.length === 0) return text
  spans.sort((a, b) => a[0] - b[0])
  const parts: string[] = []
  let kept = 0
  for (const [start, end] of spans) {
    if (end <= kept) continue
    if (start >= kept) parts.push(text.slice(kept, start), marker)
    kept = end
  }
  parts.push(text.slice(kept))
  return parts.join('')
}

/** A line break inside a value: CRLF or LF (and the next line's indentation), or JSON's `\n`. */
const LINE_BREAK = /\r?\n[ \t]*|(?:\\r)?\\n/g

/**
 * The text with its line breaks removed, and a map back to the original positions, so that a
 * secret wrapped at 64 or 76 characters is found as one piece. One scan, no regular expression.
 */
function withoutLineBreaks(text: string): { text: string; origin: (at: number) => number } {
  if (!text.includes('\n') && !text.includes('\\n')) return { text, origin: (at) => at }
  // Each piece between line breaks: where it starts in the view and in the text.
  const viewStarts = [0]
  const textStarts = [0]
  const kept: string[] = []
  let from = 0
  let length = 0
  let newline = text.indexOf('\n')
  let escaped = text.indexOf('\\n')
  while (newline !== -1 || escaped !== -1) {
    let start: number
    let end: number
    if (escaped === -1 || (newline !== -1 && newline < escaped)) {
      // CRLF or LF, and the next line's indentation.
      start = text[newline - 1] === '\r' ? newline - 1 : newline
      end = newline + 1
      // Blank lines and indentation too: a run of breaks is one break.
      while (text[end] === ' ' || text[end] === '\t' || text[end] === '\n' || text[end] === '\r')
        end++
    } else {
      // JSON's `\n` or `\r\n`.
      start = text.startsWith('\\r', escaped - 2) ? escaped - 2 : escaped
      end = escaped + 2
      while (text.startsWith('\\n', end) || text.startsWith('\\r\\n', end))
        end += text[end + 1] === 'n' ? 2 : 4
    }
    start = Math.max(start, from)
    kept.push(text.slice(from, start))
    length += start - from
    from = end
    viewStarts.push(length)
    textStarts.push(from)
    if (newline !== -1 && newline < from) newline = text.indexOf('\n', from)
    if (escaped !== -1 && escaped < from) escaped = text.indexOf('\\n', from)
  }
  kept.push(text.slice(from))
  return {
    text: kept.join(''),
    origin: (at) => {
      // The last piece starting at or before `at` (binary search: pieces are in order).
      let low = 0
      let high = viewStarts.length - 1
      while (low < high) {
        const middle = (low + high + 1) >> 1
        if ((viewStarts[middle] ?? 0) <= at) low = middle
        else high = middle - 1
      }
      return (textStarts[low] ?? 0) + (at - (viewStarts[low] ?? 0))
    },
  }
}

/** The forms a vendor may echo a secret in, each at least as long as a secret must be. */
function encodedForms(secret: string): string[] {
  const plain = secret.replace(LINE_BREAK, '')
  const uri = encodeURIComponent(plain)
  const html = plain
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
  const json = JSON.stringify(plain).slice(1, -1)
  const forms = new Set([
    plain,
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    new URLSearchParams({ s: plain }).toString().slice(2),
    html.replace(/'/g, '&#39;'),
    html.replace(/'/g, '&#x27;').replace(/\//g, '&#x2F;'),
    json,
    json.replace(/\//g, '\\/'),
    ...base64Forms(plain),
  ])
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH)
}

/**
 * The secret's base64 and base64url inside a longer encoded text (`Basic base64(id:secret)`): at
 * each of the three byte alignments, only the characters made of the secret's bits alone.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const forms: string[] = []
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64')
    const stable = encoded.slice(
      Math.ceil((offset * 8) / 6),
      Math.floor(((offset + bytes.length) * 8) / 6),
    )
    forms.push(stable, stable.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  return forms
}
