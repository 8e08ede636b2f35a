/** The SailPoint endpoints the simulator serves; also the names faults are set on. */
export type SailPointEndpoint =
  'token' | 'sendTestNotification' | 'listTemplates' | 'templateDefaults' | 'templateVariables'

export const SAILPOINT_ENDPOINTS: readonly SailPointEndpoint[] = [
  'token',
  'sendTestNotification',
  'listTemplates',
  'templateDefaults',
  'templateVariables',
]

/**
 * Path versions: `beta`, the per-service `v1`, and the per-year paths, which behave like v1
 * (SailPoint publishes the same notification service under each).
 */
export type SailPointApiVersion = 'beta' | 'v1' | 'v2024' | 'v2025' | 'v2026'

export const SAILPOINT_API_VERSIONS: readonly SailPointApiVersion[] = [
  'beta',
  'v1',
  'v2024',
  'v2025',
  'v2026',
]

export interface SailPointRoute {
  endpoint: SailPointEndpoint
  method: 'GET' | 'POST'
  /** Absent for the token endpoint, which is not versioned. */
  version?: SailPointApiVersion
  /** `templateVariables` path parameters, URL-decoded. */
  params?: { key: string; medium: string }
}

const RESOURCES: Readonly<Record<string, { endpoint: SailPointEndpoint; method: 'GET' | 'POST' }>> =
  {
    'send-test-notification': { endpoint: 'sendTestNotification', method: 'POST' },
    'notification-templates': { endpoint: 'listTemplates', method: 'GET' },
    'notification-template-defaults': { endpoint: 'templateDefaults', method: 'GET' },
  }

const BETA = /^\/beta\/([a-z-]+)$/
const PER_SERVICE = /^\/([a-z-]+)\/v1$/
const PER_YEAR = /^\/(v2024|v2025|v2026)\/([a-z-]+)$/
const VARIABLES_V1 = /^\/notification-template-variables\/v1\/([^/]+)\/([^/]+)$/
const VARIABLES_YEAR = /^\/(v2024|v2025|v2026)\/notification-template-variables\/([^/]+)\/([^/]+)$/

/** Maps a request path (no query) to the endpoint it names, or undefined for an unknown path. */
export function matchRoute(path: string): SailPointRoute | undefined {
  if (path === '/oauth/token') return { endpoint: 'token', method: 'POST' }
  let m = BETA.exec(path)
  if (m) return resource(m[1], 'beta')
  m = PER_SERVICE.exec(path)
  if (m) return resource(m[1], 'v1')
  m = PER_YEAR.exec(path)
  if (m) return resource(m[2], m[1] as SailPointApiVersion)
  m = VARIABLES_V1.exec(path)
  if (m) return variables('v1', m[1], m[2])
  m = VARIABLES_YEAR.exec(path)
  if (m) return variables(m[1] as SailPointApiVersion, m[2], m[3])
  return undefined
}

function resource(
  name: string | undefined,
  version: SailPointApiVersion,
): SailPointRoute | undefined {
  const found = name === undefined ? undefined : RESOURCES[name]
  return found && { ...found, version }
}

function variables(
  version: SailPointApiVersion,
  key: string | undefined,
  medium: string | undefined,
): SailPointRoute | undefined {
  if (key === undefined || medium === undefined) return undefined
  try {
    return {
      endpoint: 'templateVariables',
      method: 'GET',
      version,
      params: { key: decodeURIComponent(key), medium: decodeURIComponent(medium) },
    }
  } catch {
    return undefined
  }
}
