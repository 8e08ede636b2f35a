/**
 * @notiprobe/core/adapter: the kit a vendor adapter is built from. Not for applications: these
 * names serve adapters (`@notiprobe/apple`, `@notiprobe/sailpoint`, `@notiprobe/github`) and may
 * change with them. docs/architecture.md shows how the pieces fit.
 */
export { systemClock, systemRandom, type Clock, type Random } from './clock.js'
export { MAX_TIMER_MS, timeoutFor } from './timers.js'
export { createDeadline, withDeadline, type AbortSource, type Deadline } from './deadline.js'
export { kindForHttpStatus } from './error-kind.js'
export { withMessage, withRetryable } from './error-copies.js'
export {
  defineOperations,
  failedMessage,
  type Operation,
  type OperationTable,
} from './operations.js'
export { redactValue, registerSecret } from './redact.js'
export { redactingLogger, type Logger } from './logger.js'
export { parseRetryAfter } from './retry-after.js'
export {
  DEFAULT_RETRY_POLICY,
  mayRetry,
  type CallKind,
  type RequestReach,
  type RetryPolicy,
} from './retry-policy.js'
export { HOURLY_BURST_SHARE, RateLimiter, hourlyBudget, type RateLimit } from './rate-limiter.js'
export { checkBaseUrl, isLoopbackHost, type BaseUrlContext } from './base-url.js'
export {
  describeIssues,
  expected,
  invalidFields,
  parseTicket,
  parseWith,
  unreadableField,
  type FieldIssue,
  type ValidationContext,
} from './validation.js'
export { patternText } from './text-field.js'
export { kindOf, showGiven } from './given-value.js'
export {
  callOptionsShape,
  milliseconds,
  optionsObjectErrors,
  parseCallOptions,
} from './call-options.js'
export {
  safeListener,
  type AdapterEvent,
  type AdapterEventListener,
  type ConnectingEvent,
  type RateLimitWaitEvent,
  type RetryEvent,
} from './adapter-events.js'
export {
  adapterOptionsShape,
  clockSchema,
  connectionOptionsShape,
  eventOptionsShape,
  type CaCertificates,
  type AdapterOptions,
  type ConnectionOptions,
  type ResolvedAdapterOptions,
} from './connection-options.js'
export { Connections, type ConnectionSettings, type ProxyRoute } from './transport/connections.js'
export { bodyExcerpt } from './body-excerpt.js'
export { reportTo, type ErrorHook } from './error-hook.js'
export { BodyReadError, DISCARD_LIMIT_BYTES, readBoundedBody } from './request-body.js'
export { poll, type PollCheck, type PollOptions } from './poll.js'
export { TokenCache, type IssuedToken, type TokenCacheOptions } from './token-cache.js'
export { readEnv, withOverrides, type Env, type EnvTable } from './from-env.js'
export {
  Transport,
  interruptedError,
  type BodyRead,
  type NetworkFailureMapper,
  type RequestSpec,
  type ResponseErrorMapper,
  type TransportOptions,
} from './transport/transport.js'
export { loadAxios } from './transport/load-axios.js'
export type { EndpointRateLimit } from './transport/rate-limit-gate.js'
export type { NetworkFailure } from './transport/request-failure.js'
export type { VendorResponse } from './transport/vendor-response.js'
export { VERSION } from './version.js'
