export * from './apple/index.js'
export * from './sailpoint/index.js'
export * from './github/index.js'
export { createLoopbackTls, type LoopbackTls, type ServerTls } from './common/loopback-tls.js'
// Types both simulators expose through `faults` and `inspect()`.
export type {
  AppliedFault,
  FaultCount,
  FaultInjector,
  FaultSpec,
  MalformedKind,
  RequestLogEntry,
} from './common/index.js'
