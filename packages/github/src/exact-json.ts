/**
 * JSON.parse, except that integers beyond 2^53 come back as their exact decimal string instead of
 * a rounded number. GitHub's delivery ids are int64; a rounded id would name another delivery.
 *
 * One linear pass finds the integer literals outside strings that `Number` cannot hold exactly and
 * quotes them; JSON.parse does the rest. Text that is not JSON stays invalid, so JSON.parse still
 * rejects it.
 */
export function parseExactJson(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text)) as unknown
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
