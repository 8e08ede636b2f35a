import { isNotificationTestError } from '@notiprobe/core'
import { checkBaseUrl } from '@notiprobe/core/adapter'
import { SAILPOINT_OPERATIONS, VENDOR } from './constants.js'

/**
 * Where the adapter sends requests and credentials. A tenant name becomes a host only if it is a
 * single DNS label, so no tenant can smuggle in another host (`evil.com#`, `169.254.169.254/x#`),
 * user info or a path; a base URL must pass core's rules; and the token URL, which receives the
 * client secret, must be on the API's own origin. Each check returns either the value or the
 * problem, phrased to follow the field's name.
 */

export type HostCheck = { readonly url: string } | { readonly problem: string }

/** A DNS label, case-insensitive: 1 to 63 letters, digits or inner hyphens. */
export const TENANT_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i

/** The API host domain of commercial and government tenants. */
export const TENANT_DOMAINS = {
  commercial: 'api.identitynow.com',
  government: 'api.identitynowgov.com',
} as const

/** Path segments that name an API version: a base URL ending in one would double the version. */
const VERSION_SEGMENT = /\/(?:beta|v\d+)$/i

/** `https://{tenant}.api.identitynow.com` (or `.api.identitynowgov.com`), the tenant lower-cased. */
export function tenantBaseUrl(tenant: string, government: boolean): HostCheck {
  if (!TENANT_PATTERN.test(tenant)) {
    const dotted = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(tenant)
    return {
      problem:
        'must be a DNS label: 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen (e.g. "acme" for https://acme.api.identitynow.com); got ' +
        show(tenant) +
        (dotted ? '. Give the tenant name only, or the full URL as baseUrl' : ''),
    }
  }
  const domain = government ? TENANT_DOMAINS.government : TENANT_DOMAINS.commercial
  return { url: `https://${tenant.toLowerCase()}.${domain}` }
}

/**
 * Checks an explicit API base URL: core's rules (https, or http on loopback; no user info, query or
 * fragment), and no trailing version segment, since notiprobe adds `/beta` or `/v1` itself.
 */
export function checkApiBaseUrl(input: string): HostCheck {
  const checked = coreCheck(input)
  if ('problem' in checked) return checked
  if (VERSION_SEGMENT.test(new URL(checked.url).pathname)) {
    return {
      problem: `must be the API host without a version path (got ${checked.url}); notiprobe adds /beta or /v1 itself, e.g. https://acme.api.identitynow.com`,
    }
  }
  return checked
}

/**
 * The OAuth token URL: `{baseUrl}/oauth/token` by default. An explicit one must be on the same
 * origin as the API, so that the client secret can only go to the host the caller configured.
 */
export function resolveTokenUrl(baseUrl: string, tokenUrl: string | undefined): HostCheck {
  if (tokenUrl === undefined) return { url: `${baseUrl}/oauth/token` }
  const checked = coreCheck(tokenUrl)
  if ('problem' in checked) return checked
  const api = new URL(baseUrl)
  const token = new URL(checked.url)
  if (token.origin !== api.origin) {
    return {
      problem: `must be on the same host as the API (${api.origin}), so that the client secret goes to the vendor host only; got ${token.origin}`,
    }
  }
  if (token.pathname === '/') {
    return { problem: `must include the token endpoint's path, e.g. ${api.origin}/oauth/token` }
  }
  return checked
}

const FIELD = 'URL'

/** Core's base-URL rules, with its message turned into a problem that follows any field name. */
function coreCheck(input: string): HostCheck {
  try {
    return {
      url: checkBaseUrl(input, {
        vendor: VENDOR,
        operation: SAILPOINT_OPERATIONS.configure.name,
        field: FIELD,
      }),
    }
  } catch (error) {
    if (!isNotificationTestError(error)) throw error
    return { problem: error.message.slice(FIELD.length + 1) }
  }
}

function show(value: string): string {
  return JSON.stringify(value.length > 70 ? `${value.slice(0, 70)}…` : value)
}
