import { checkBaseUrl } from '../base-url.js'
import { NotificationTestError } from '../error.js'
import type { Operation } from '../operations.js'

/**
 * Segments of unreserved characters or percent escapes, none empty and no dot anywhere, so none is a
 * dot segment (`%2e` is one too, so it is excluded), then an optional query of the same characters
 * and `=`, `&`, `+`, `.`. The URL parser changes nothing in such a path and it cannot leave the
 * origin. Checked in linear time: no two alternatives can match the same character.
 */
const PLAIN_PATH =
  /^(?:\/(?:[A-Za-z0-9_~-]|%(?![2][Ee])[0-9A-Fa-f]{2})+)+(?:\?(?:[A-Za-z0-9_~=&+.-]|%[0-9A-Fa-f]{2})*)?$/

function hasQuery(query: Readonly<Record<string, unknown>> | undefined): boolean {
  if (query === undefined) return false
  for (const name in query) if (query[name] !== undefined) return true
  return false
}

/**
 * The one origin a transport may talk to. Credentials go with every request, so a path can never
 * move a request elsewhere (`//evil.com`, `/../`, an absolute URL).
 */
export class TargetUrl {
  readonly baseUrl: string
  readonly origin: string
  readonly host: string

  constructor(vendor: string, baseUrl: string, field: string) {
    this.baseUrl = checkBaseUrl(baseUrl, { vendor, operation: `${vendor}.configure`, field })
    const url = new URL(this.baseUrl)
    this.origin = url.origin
    this.host = url.host
  }

  /** The URL of `path` with `query`; refuses a path that would leave the origin. */
  resolve(
    vendor: string,
    operation: Operation,
    path: string,
    query: Readonly<Record<string, string | number | boolean | undefined>> = {},
  ): string {
    const refused = (): NotificationTestError =>
      new NotificationTestError({
        vendor,
        operation: operation.name,
        kind: 'invalid_input',
        message: `Refused to send ${operation.name} outside ${this.origin}.`,
      })
    // Checked before parsing: a path such as `:99999` would make the URL itself throw.
    if (!path.startsWith('/')) throw refused()
    // A path the URL parser would leave as it is needs no parse (nearly every call's).
    if (PLAIN_PATH.test(path) && !hasQuery(query)) return this.baseUrl + path
    let url: URL
    try {
      url = new URL(this.baseUrl + path)
    } catch {
      throw refused()
    }
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value))
    }
    if (url.origin !== this.origin) throw refused()
    return url.href
  }
}
