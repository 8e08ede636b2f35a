import { redact, redactValue } from './redact.js'

/** Where notiprobe reports what it does; every line passes through redaction first. */
export interface Logger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void
}

/** Wraps a logger so that nothing it receives can carry a secret. */
export function redactingLogger(logger: Logger): Logger {
  return {
    debug: (message, fields) =>
      logger.debug(
        redact(message),
        fields === undefined ? undefined : (redactValue(fields) as Record<string, unknown>),
      ),
  }
}
