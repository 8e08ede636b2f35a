/** Longest excerpt of a sender's text any message quotes. */
export const MAX_QUOTED_CHARS = 200

// What JSON.stringify leaves as is but a terminal or a log viewer may act on: C1 controls, bidi
// and other invisible format characters, line and paragraph separators.
const INVISIBLE = /[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g

/**
 * A sender's text (a bundle id, an alg, a type) as a message may show it: cut to `max` characters
 * before anything else is done with it, then quoted with every control and invisible character
 * escaped. One linear pass over at most `max` characters.
 */
export function quoteUntrusted(value: unknown, max = MAX_QUOTED_CHARS): string {
  if (value === undefined) return 'none'
  if (typeof value !== 'string') return typeof value === 'object' ? 'an object' : typeof value
  const cut = value.length > max ? `${value.slice(0, max)}…` : value
  return JSON.stringify(cut).replace(
    INVISIBLE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
