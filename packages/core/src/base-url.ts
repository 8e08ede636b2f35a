import { BlockList, isIP } from 'node:net'
import { NotificationTestError } from './error.js'

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i

// Addresses no vendor API lives at and credentials must never reach: link-local (cloud metadata
// services such as 169.254.169.254 and fd00:ec2::254), unique-local and unspecified. IPv4-mapped
// IPv6 forms and numeric spellings (0xa9fea9fe) are caught too: URL and BlockList normalise them.
const FORBIDDEN_ADDRESSES = new BlockList()
FORBIDDEN_ADDRESSES.addSubnet('169.254.0.0', 16, 'ipv4')
FORBIDDEN_ADDRESSES.addSubnet('0.0.0.0', 8, 'ipv4')
FORBIDDEN_ADDRESSES.addSubnet('fe80::', 10, 'ipv6')
FORBIDDEN_ADDRESSES.addSubnet('fc00::', 7, 'ipv6')
FORBIDDEN_ADDRESSES.addAddress('::', 'ipv6')

function isForbiddenAddress(hostname: string): boolean {
  const address = hostname.replace(/^\[|\]$/g, '')
  const family = isIP(address)
  return family !== 0 && FORBIDDEN_ADDRESSES.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

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
  // Backslashes and `@` make a URL read one host and reach another (`https://evil.com\\@vendor`).
  if (/[\\@\s]/.test(input)) fail('must not contain a backslash, `@` or white space')
  if (isForbiddenAddress(url.hostname)) {
    fail(`must not point at a link-local, unique-local or unspecified address (${url.hostname})`)
  }
  return url.href.replace(/\/+$/, '')
}
