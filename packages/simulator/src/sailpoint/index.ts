export type { ErrorResponseDto, SailPointErrorMessage } from './error-response.js'
export { DETAIL_CODES, FAULT_RETRY_AFTER_SECONDS } from './error-response.js'
export type { SailPointClient, SailPointSimulatorOptions } from './options.js'
export { SCOPE_ALL, SCOPE_DEFAULT } from './options.js'
export type { SailPointApiVersion, SailPointEndpoint } from './routes.js'
export { SAILPOINT_API_VERSIONS, SAILPOINT_ENDPOINTS } from './routes.js'
export { SCOPE_TEMPLATES_CREATE, SCOPE_TEMPLATES_READ } from './scopes.js'
export type { OutboxEntry } from './send-test.js'
export type { SailPointInspection, SailPointSimulator } from './simulator.js'
export { SAILPOINT_RATE_LIMIT, startSailPointSimulator } from './simulator.js'
export type {
  SailPointMedium,
  SailPointTemplate,
  TemplateListing,
  TemplateVariable,
  TemplateVariant,
} from './template-catalogue.js'
export { DEFAULT_TEMPLATES } from './template-catalogue.js'
export type { SailPointTokenResponse, TokenGrant } from './token-endpoint.js'
