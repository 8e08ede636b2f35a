import { NotificationTestError } from './error.js'

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i

/** True for hosts that never leave this machine: 127.0.0.0/8, `::1`, `localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.test(hostname)
}

export interface BaseUrlContext {
  readonly vendor: string
  readonly operation: string
  /** The option or variable the URL came from, named in the error. */
  readonly field: string
}

/**
 * Checks a vendor base URL and returns it without a trailing slash. Credentials are sent to it, so
 * only `https` is accepted, `http` only on loopback (the simulator), and nothing that could move the
 * request elsewhere: no user info, query or fragment.
 */
export function checkBaseUrl(input: string, context: BaseUrlContext): string {
  const fail = (why: string): never => {
    throw new NotificationTestError({
      vendor: context.vendor,
      operation: context.operation,
      kind: 'config',
      message: `${context.field} ${why}`,
    })
  }
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return fail('is not a valid URL: expected e.g. https://api.example.com')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail(`must use https (got ${url.protocol.replace(':', '')})`)
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return fail('must use https; http is allowed only on loopback (127.0.0.1, ::1, localhost)')
  }
  if (url.username !== '' || url.password !== '')
    fail('must not contain user info (user:password@)')
  if (url.search !== '' || url.hash !== '' || input.includes('#') || input.includes('?')) {
    fail('must not contain a query or fragment')
  }
  return url.href.replace(/\/+$/, '')
}
