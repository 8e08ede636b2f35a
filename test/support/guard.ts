import { inspect } from 'node:util'

/**
 * Counts what must never happen while a suite runs: unhandled rejections, uncaught exceptions and
 * process warnings. Installed in `beforeAll`, checked and removed in `afterAll`.
 */
export interface ProcessGuard {
  readonly unhandledRejections: unknown[]
  readonly uncaughtExceptions: unknown[]
  /** Every process warning, as text (scanned for secrets by the leak suites). */
  readonly warnings: string[]
  dispose(): void
}

export function installProcessGuard(): ProcessGuard {
  const unhandledRejections: unknown[] = []
  const uncaughtExceptions: unknown[] = []
  const warnings: string[] = []
  const onRejection = (reason: unknown): void => {
    unhandledRejections.push(reason)
  }
  const onException = (error: unknown): void => {
    uncaughtExceptions.push(error)
  }
  const onWarning = (warning: Error): void => {
    warnings.push(`${warning.name}: ${warning.message}\n${inspect(warning)}`)
  }
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  process.on('warning', onWarning)
  return {
    unhandledRejections,
    uncaughtExceptions,
    warnings,
    dispose() {
      process.off('unhandledRejection', onRejection)
      process.off('uncaughtException', onException)
      process.off('warning', onWarning)
    },
  }
}
