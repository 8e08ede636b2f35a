import { inspect } from 'node:util'
import { registerSecret } from '@notiprobe/core/adapter'

const SHOWN = '[REDACTED]'

/**
 * A credential (a token, a webhook secret) held so that printing whatever holds it shows
 * `[REDACTED]`: JSON, `util.inspect`, string conversion. Only `reveal()` gives the value, and the
 * value is registered with core's redaction, so it is scrubbed from any error text as well.
 */
export class SecretText {
  readonly #value: string

  constructor(value: string) {
    this.#value = value
    registerSecret(value)
  }

  reveal(): string {
    return this.#value
  }

  toJSON(): string {
    return SHOWN
  }

  toString(): string {
    return SHOWN
  }

  [inspect.custom](): string {
    return SHOWN
  }
}
