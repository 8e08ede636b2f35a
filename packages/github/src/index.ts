export type { GitHubTesterOptions } from './options.js'
export type { GitHubTarget } from './target.js'
export type { GitHubAuth } from './auth.js'
export type { GitHubId } from './github-id.js'
export {
  DEFAULT_API_VERSION,
  GITHUB_API_URL,
  GITHUB_API_VERSIONS,
  type GitHubApiVersion,
} from './constants.js'
export { GITHUB_ENV, githubOptionsFromEnv } from './env.js'
export {
  isDelivered,
  type HookDelivery,
  type HookDeliveryItem,
  type InstallationToken,
} from './responses.js'
export {
  RATE_LIMIT_CODES,
  SECONDARY_RATE_LIMIT_FLOOR_MS,
  mapGitHubError,
  type GitHubErrorResponse,
} from './map-error.js'
export {
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_MAX_WEBHOOK_BODY_BYTES,
  DEFAULT_RESPOND_WITHIN_MS,
  MAX_WEBHOOK_BODY_BYTES,
  createWebhookHandler,
  type WebhookHandler,
  type WebhookHandlerOptions,
} from './webhook-handler.js'
export type { GitHubWebhookEvent } from './webhook-event.js'
export { signWebhookBody, verifyWebhookSignature } from './webhook-signature.js'
