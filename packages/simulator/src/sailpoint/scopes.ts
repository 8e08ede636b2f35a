import { SCOPE_ALL } from './options.js'
import type { SailPointApiVersion, SailPointEndpoint } from './routes.js'

export const SCOPE_TEMPLATES_CREATE = 'idn:notification-templates:create'
export const SCOPE_TEMPLATES_READ = 'idn:notification-templates:read'
export const SCOPE_TEMPLATE_DEFAULTS_READ = 'idn:notification-template-defaults:read'

/**
 * The scopes, any one of which opens an endpoint. Sending a test needs an ORG_ADMIN token:
 * `sp:scopes:all` on beta; on v1 (and the per-year paths) also the fine-grained create scope.
 * The customised list accepts its read or create scope as well; the defaults list its own read scope.
 */
export function acceptedScopes(
  endpoint: Exclude<SailPointEndpoint, 'token'>,
  version: SailPointApiVersion,
): readonly string[] {
  if (endpoint === 'sendTestNotification') {
    return version === 'beta' ? [SCOPE_ALL] : [SCOPE_ALL, SCOPE_TEMPLATES_CREATE]
  }
  if (endpoint === 'templateDefaults') return [SCOPE_ALL, SCOPE_TEMPLATE_DEFAULTS_READ]
  return [SCOPE_ALL, SCOPE_TEMPLATES_READ, SCOPE_TEMPLATES_CREATE]
}
