export {
  createSailPointTester,
  type SailPointTester,
  type SailPointTicket,
  type SailPointTicketDetails,
} from './tester.js'
export { SAILPOINT_ENV, sailPointOptionsFromEnv } from './env.js'
export { DEFAULT_RATE_LIMIT, DEFAULT_TIMEOUT_MS, type SailPointTesterOptions } from './options.js'
export type { SailPointSendOptions } from './send.js'
export {
  TEMPLATE_PAGE_SIZE,
  type NotificationTemplate,
  type TemplateCheck,
  type TemplateFilters,
} from './templates.js'
export type { TemplateVariable, TemplateVariables } from './template-variables.js'
export { mapSailPointError, type ErrorContext, type SailPointEndpointKind } from './errors.js'
export { TENANT_DOMAINS, TENANT_PATTERN } from './host.js'
export {
  API_VERSIONS,
  MEDIUMS,
  REQUIRED_SCOPES,
  SAILPOINT_OPERATIONS,
  type SailPointApiVersion,
  type SailPointMedium,
} from './constants.js'
export type { JsonObject, JsonValue } from './json-object.js'
