import { checkBaseUrl } from '../base-url.js'
import { NotificationTestError } from '../error.js'
import type { Operation } from '../operations.js'

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
