/** How much of a body an excerpt looks at: a bound on the work, whatever the body's size. */
const EXCERPT_WINDOW_CHARS = 16_384

/** Elements whose content is never text a person would read. */
const RAW_TEXT_ELEMENTS = ['script', 'style'] as const

/**
 * A short, single-line excerpt of a body that is not the vendor's JSON (a proxy's HTML error page):
 * tags, scripts and styles removed, whitespace collapsed, cut at `maxChars`. Reads only the body's
 * first 16 KiB, in one pass: hostile bodies (`<<<<…`, an unclosed `<script`) cost no more than any
 * other. Undefined when nothing is left.
 */
export function bodyExcerpt(body: string, maxChars = 200): string | undefined {
  const window = body.slice(0, EXCERPT_WINDOW_CHARS)
  const lower = window.toLowerCase()
  const parts: string[] = []
  let at = 0
  while (at < window.length) {
    const open = window.indexOf('<', at)
    if (open === -1) {
      parts.push(window.slice(at))
      break
    }
    parts.push(window.slice(at, open), ' ')
    const raw = RAW_TEXT_ELEMENTS.find((name) => lower.startsWith(`<${name}`, open))
    const end = raw === undefined ? open : lower.indexOf(`</${raw}`, open)
    // An unclosed tag or script hides the rest of the window.
    const close = end === -1 ? -1 : window.indexOf('>', end + 1)
    if (close === -1) break
    at = close + 1
  }
  const text = parts.join('').replace(/\s+/g, ' ').trim()
  if (text === '') return undefined
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text
}
