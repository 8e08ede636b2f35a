export { main, type SignalSource } from './main.js'
export {
  EXIT,
  EXIT_CODES_HELP,
  exitCodeForError,
  worstExitCode,
  type ExitCode,
} from './exit-codes.js'
export { renderJUnit, type JUnitCase, type JUnitSuite } from './junit.js'
export { parseRunConfig, loadRunConfig, type RunConfig } from './config-file.js'
export type { Io, OutStream } from './io.js'
export { VERSION } from './version.js'
