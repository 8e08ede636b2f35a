export type { SimulatorEnvironment } from './clock.js'
export { randomHex } from './clock.js'
export type { ControlSurfaceOptions } from './control-surface.js'
export { CONTROL_PREFIX, handleControlRequest } from './control-surface.js'
export type {
  AppliedFault,
  FaultCount,
  FaultInjectorOptions,
  FaultKind,
  Interception,
  FaultRenderer,
  FaultSpec,
  MalformedKind,
} from './faults.js'
export { FaultInjector, faultSpecSchema, sendMalformed } from './faults.js'
export type { ResponseHeaders } from './http-io.js'
export {
  BodyTooLargeError,
  DEFAULT_BODY_LIMIT_BYTES,
  readBody,
  sendEmpty,
  sendJson,
  sendText,
} from './http-io.js'
export type { LoopbackServer, LoopbackServerOptions, RequestHandler } from './loopback-server.js'
export { startLoopbackServer } from './loopback-server.js'
export type { LoopbackTls, ServerTls } from './loopback-tls.js'
export { createLoopbackTls } from './loopback-tls.js'
export type { RateLimit, RateLimitDecision } from './rate-limiter.js'
export { RateLimiter } from './rate-limiter.js'
export type { RequestLogEntry, RequestLogOptions } from './request-log.js'
export { RequestLog } from './request-log.js'
