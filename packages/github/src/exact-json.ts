/**
 * JSON.parse, except that integers beyond 2^53 come back as their exact decimal string instead of
 * a rounded number. GitHub's delivery ids are int64; a rounded id would name another delivery.
 *
 * Where JSON.parse's result shows such an integer, one linear pass finds the integer literals
 * outside strings that `Number` cannot hold exactly and quotes them; JSON.parse does the rest. Text
 * that is not JSON stays invalid, so JSON.parse still rejects it.
 */
export function parseExactJson(text: string): unknown {
  // JSON.parse rounds exactly the literals the scan would quote, and only those come back as
  // integers past 2^53: without one, its result is the exact one and the scan is not needed.
  const value = JSON.parse(text) as unknown
  return hasUnsafeInteger(value) ? (JSON.parse(quoteUnsafeIntegers(text)) as unknown) : value
}

/**
 * Whether a parsed JSON value holds a number that is an integer beyond 2^53: one pass, no
 * recursion, and nothing allocated but the stack of objects still to visit (it runs on every page).
 */
function hasUnsafeInteger(value: unknown): boolean {
  const pending: object[] = []
  let next: unknown = value
  for (;;) {
    if (typeof next === 'number') {
      if (isBeyondSafe(next)) return true
    } else if (Array.isArray(next)) {
      for (const item of next as unknown[]) if (visit(item, pending)) return true
    } else if (typeof next === 'object' && next !== null) {
      const object = next as Record<string, unknown>
      for (const key in object) if (visit(object[key], pending)) return true
    }
    if (pending.length === 0) return false
    next = pending.pop()
  }
}

/** True when `item` is such an integer; an object or array is left in `pending` for later. */
function visit(item: unknown, pending: object[]): boolean {
  if (typeof item === 'number') return isBeyondSafe(item)
  if (typeof item === 'object' && item !== null) pending.push(item)
  return false
}

/** Every finite double past 2^53 - 1 is an integer, and one JSON.parse may have rounded. */
function isBeyondSafe(value: number): boolean {
  return (
    (value > Number.MAX_SAFE_INTEGER || value < -Number.MAX_SAFE_INTEGER) && Number.isFinite(value)
  )
}

/** Digits in an integer below which every value is exact: 15 (2^53 has 16). */
const ALWAYS_SAFE_DIGITS = 15

export function quoteUnsafeIntegers(text: string): string {
  let out = ''
  let copiedUpTo = 0
  let index = 0
  while (index < text.length) {
    const char = text.charCodeAt(index)
    if (char === 0x22) {
      index = endOfString(text, index)
      continue
    }
    const startsNumber = char === 0x2d || (char >= 0x30 && char <= 0x39)
    if (!startsNumber) {
      index++
      continue
    }
    let end = index + 1
    while (end < text.length && isNumberChar(text.charCodeAt(end))) end++
    // Most literals are short: decided by length alone, with no substring made.
    if (end - index > ALWAYS_SAFE_DIGITS && isUnsafeInteger(text.slice(index, end))) {
      const literal = text.slice(index, end)
      out += `${text.slice(copiedUpTo, index)}"${literal}"`
      copiedUpTo = end
    }
    index = end
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo)
}

/** Index just past the string starting at `start` (a `"`), honouring `\` escapes. */
function endOfString(text: string, start: number): number {
  let index = start + 1
  while (index < text.length) {
    const char = text.charCodeAt(index)
    if (char === 0x5c) index += 2
    else if (char === 0x22) return index + 1
    else index++
  }
  return index
}

function isNumberChar(char: number): boolean {
  // digits, '.', 'e', 'E', '+', '-'
  return (
    (char >= 0x30 && char <= 0x39) ||
    char === 0x2e ||
    char === 0x65 ||
    char === 0x45 ||
    char === 0x2b ||
    char === 0x2d
  )
}

function isUnsafeInteger(literal: string): boolean {
  const digits = literal.startsWith('-') ? literal.length - 1 : literal.length
  if (digits <= ALWAYS_SAFE_DIGITS || !/^-?(?:0|[1-9][0-9]*)$/.test(literal)) return false
  return !Number.isSafeInteger(Number(literal))
}
