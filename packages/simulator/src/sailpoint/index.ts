export type { ErrorResponseDto, SailPointErrorMessage } from './error-response.js'
export { DETAIL_CODES, FAULT_RETRY_AFTER_SECONDS } from './error-response.js'
export type { SailPointClient, SailPointSimulatorOptions } from './options.js'
export { SCOPE_ALL, SCOPE_DEFAULT } from './options.js'
export type { SailPointApiVersion, SailPointEndpoint } from './routes.js'
export { SAILPOINT_API_VERSIONS, SAILPOINT_ENDPOINTS } from './routes.js'
export {
  SCOPE_TEMPLATE_DEFAULTS_READ,
  SCOPE_TEMPLATES_CREATE,
  SCOPE_TEMPLATES_READ,
} from './scopes.js'
export type { OutboxEntry } from './send-test.js'
export type { SailPointInspection, SailPointSimulator } from './simulator.js'
export { startSailPointSimulator } from './simulator.js'
export {
  ROUTE_BACKOFF,
  SAILPOINT_RATE_LIMIT,
  type RateLimitCounting,
} from './gateway-rate-limit.js'
export type {
  CustomizedTemplate,
  DefaultTemplateListing,
  SailPointMedium,
  SailPointTemplate,
  TemplateListing,
  TemplateVariable,
  TemplateVariant,
} from './template-catalogue.js'
export { DEFAULT_TEMPLATES } from './template-catalogue.js'
export type { SailPointTokenResponse, TokenGrant } from './token-endpoint.js'
