import { NotificationTestError } from '@notiprobe/core'
import { VENDOR } from './constants.js'

/** A `link` header of a deliveries page holds two or three short URLs; more is not GitHub's. */
export const MAX_LINK_HEADER_LENGTH = 8 * 1024

export interface LinkValue {
  readonly url: string
  /** Lower-cased relation types; `rel="next last"` gives two. */
  readonly rels: readonly string[]
}

/**
 * Parses an RFC 8288 `link` header: `<url>; rel="next", <url>; rel="last"`. One pass, linear in
 * the header's length; entries that do not parse are skipped. Text past `MAX_LINK_HEADER_LENGTH`
 * is not read.
 */
export function parseLinkHeader(header: string): LinkValue[] {
  const text = header.slice(0, MAX_LINK_HEADER_LENGTH)
  const links: LinkValue[] = []
  let index = 0
  while (index < text.length) {
    const open = text.indexOf('<', index)
    if (open === -1) break
    const close = text.indexOf('>', open + 1)
    if (close === -1) break
    const url = text.slice(open + 1, close).trim()
    const params = readParams(text, close + 1)
    const rel = params.values.get('rel')
    if (rel !== undefined) {
      links.push({
        url,
        rels: rel
          .toLowerCase()
          .split(/[ \t]+/)
          .filter((r) => r !== ''),
      })
    }
    index = params.end
  }
  return links
}

/** Reads `; name=value; name="quoted"` up to the `,` that ends the entry (outside quotes). */
function readParams(text: string, start: number): { values: Map<string, string>; end: number } {
  const values = new Map<string, string>()
  let index = start
  let name = ''
  let value = ''
  let inName = false
  let quoted = false
  const flush = (): void => {
    const key = name.trim().toLowerCase()
    // The first occurrence of a parameter counts (RFC 8288 §3).
    if (key !== '' && !values.has(key)) values.set(key, value.trim())
    name = ''
    value = ''
  }
  while (index < text.length) {
    const char = text[index]
    if (quoted) {
      if (char === '\\') {
        value += text[index + 1] ?? ''
        index += 2
        continue
      }
      if (char === '"') quoted = false
      else value += char
    } else if (char === ',') {
      break
    } else if (char === ';') {
      flush()
      inName = true
    } else if (char === '=' && inName) {
      inName = false
    } else if (char === '"' && !inName) {
      quoted = true
    } else if (inName) {
      name += char
    } else {
      value += char
    }
    index++
  }
  flush()
  return { values, end: index + 1 }
}

export interface PageLocation {
  /** The configured base URL, e.g. `https://ghe.example.com/api/v3`. */
  readonly baseUrl: string
  /** The list's path under it, e.g. `/repos/o/r/hooks/1/deliveries`. */
  readonly path: string
  readonly operation: string
}

/**
 * The next page's URL from a `link` header, or undefined on the last page. The URL is followed
 * verbatim (it carries GitHub's opaque cursor) but only on the configured origin and the list's
 * own path: anything else would take the token elsewhere, so it is refused as an invalid
 * response rather than silently treated as the end.
 */
export function nextPageUrl(
  header: string | undefined,
  location: PageLocation,
): string | undefined {
  if (header === undefined || header.trim() === '') return undefined
  const next = parseLinkHeader(header).find((link) => link.rels.includes('next'))
  if (next === undefined) return undefined
  const expected = new URL(location.baseUrl + location.path)
  let url: URL
  try {
    url = new URL(next.url)
  } catch {
    throw invalidLink(location.operation, 'is not a URL')
  }
  if (url.origin !== expected.origin) {
    throw invalidLink(location.operation, `points at another host (${url.origin})`)
  }
  if (url.username !== '' || url.password !== '' || url.hash !== '') {
    throw invalidLink(location.operation, 'carries user info or a fragment')
  }
  // Logins and repository names are case-insensitive on GitHub; paths are compared that way.
  if (url.pathname.toLowerCase() !== expected.pathname.toLowerCase()) {
    throw invalidLink(location.operation, `points at another path (${url.pathname.slice(0, 200)})`)
  }
  return url.href
}

function invalidLink(operation: string, why: string): NotificationTestError {
  return new NotificationTestError({
    vendor: VENDOR,
    operation,
    kind: 'invalid_response',
    message: `GitHub's link header names a next page that ${why}; notiprobe follows pages only on the configured API host and list, so that the token goes nowhere else.`,
  })
}
