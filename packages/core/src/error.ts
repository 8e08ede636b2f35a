import { inspect } from 'node:util'
import type { ErrorKind } from './error-kind.js'
import { redact, redactExcerpt, redactValue } from './redact.js'

/** Recognises the error across several copies of this package in one program. */
const BRAND = Symbol.for('notiprobe.NotificationTestError')

export interface NotificationTestErrorInit {
  readonly vendor: string
  /** The call that failed, e.g. `apple.requestTestNotification`. */
  readonly operation: string
  readonly kind: ErrorKind
  /** What failed and what to do about it. */
  readonly message: string
  readonly httpStatus?: number | undefined
  /** Apple `errorCode` (number), SailPoint `detailCode` (string). */
  readonly vendorCode?: number | string | undefined
  readonly vendorMessage?: string | undefined
  readonly retryable?: boolean | undefined
  readonly retryAfterMs?: number | undefined
  /** SailPoint `trackingId`, Apple `Request ID`. */
  readonly requestId?: string | undefined
  readonly cause?: unknown
}

/** The fields of an error as JSON: what `toJSON()` returns and `--json` prints. */
export interface NotificationTestErrorJSON {
  readonly name: 'NotificationTestError'
  readonly message: string
  readonly vendor: string
  readonly operation: string
  readonly kind: ErrorKind
  readonly httpStatus?: number
  readonly vendorCode?: number | string
  readonly vendorMessage?: string
  readonly retryable: boolean
  readonly retryAfterMs?: number
  readonly requestId?: string
}

/**
 * Most characters of each text field kept. Vendor text can be as large as a response body (10 MiB):
 * it is cut before it is redacted, so that building an error costs the same whatever the vendor sent.
 */
const MAX_MESSAGE_CHARS = 4000
const MAX_VENDOR_MESSAGE_CHARS = 1000
const MAX_ID_CHARS = 256

/**
 * The one error type every notiprobe package throws. Its message, stack, JSON and inspection never
 * hold a secret: text is redacted when the error is made, and the cause, which may hold anything,
 * is kept non-enumerable and shown only in redacted form.
 */
export class NotificationTestError extends Error {
  declare readonly cause?: unknown
  readonly vendor: string
  readonly operation: string
  readonly kind: ErrorKind
  readonly httpStatus: number | undefined
  readonly vendorCode: number | string | undefined
  readonly vendorMessage: string | undefined
  readonly retryable: boolean
  readonly retryAfterMs: number | undefined
  readonly requestId: string | undefined

  constructor(init: NotificationTestErrorInit) {
    super(
      redactExcerpt(
        init.message.trim() || `${init.operation} failed (${init.kind}).`,
        MAX_MESSAGE_CHARS,
      ),
    )
    Object.defineProperty(this, 'name', { value: 'NotificationTestError', enumerable: false })
    Object.defineProperty(this, BRAND, { value: true, enumerable: false })
    Object.defineProperty(this, 'cause', {
      value: init.cause,
      enumerable: false,
      writable: false,
      configurable: true,
    })
    this.vendor = init.vendor
    this.operation = init.operation
    this.kind = init.kind
    this.httpStatus = init.httpStatus
    // Every text a vendor (or a proxy before it) chose is redacted: any of them could echo a token.
    this.vendorCode =
      typeof init.vendorCode === 'string'
        ? redactExcerpt(init.vendorCode, MAX_ID_CHARS)
        : init.vendorCode
    this.vendorMessage =
      init.vendorMessage === undefined
        ? undefined
        : redactExcerpt(init.vendorMessage, MAX_VENDOR_MESSAGE_CHARS)
    this.retryable = init.retryable ?? false
    this.retryAfterMs = init.retryAfterMs
    this.requestId =
      init.requestId === undefined ? undefined : redactExcerpt(init.requestId, MAX_ID_CHARS)
  }

  /** `instanceof` works across copies of the package, like `isNotificationTestError`. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isNotificationTestError(value)
  }

  toJSON(): NotificationTestErrorJSON {
    return {
      name: 'NotificationTestError',
      message: this.message,
      vendor: this.vendor,
      operation: this.operation,
      kind: this.kind,
      ...(this.httpStatus === undefined ? {} : { httpStatus: this.httpStatus }),
      ...(this.vendorCode === undefined ? {} : { vendorCode: this.vendorCode }),
      ...(this.vendorMessage === undefined ? {} : { vendorMessage: this.vendorMessage }),
      retryable: this.retryable,
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
    }
  }

  /** Node prints `cause` of errors in full, headers included; show a redacted chain instead. */
  [inspect.custom](_depth: number, options: { stylize?: unknown }): string {
    const { name: _name, message: _message, ...fields } = this.toJSON()
    const causes = causeChain(this.cause)
    const body = inspect(causes.length > 0 ? { ...fields, cause: causes } : fields, {
      ...options,
      depth: 4,
      customInspect: false,
    })
    return `${redact(this.stack ?? `${this.name}: ${this.message}`)} ${body}`
  }
}

/** The cause chain as redacted `{name, message, code}` records. */
function causeChain(cause: unknown): unknown[] {
  const chain: unknown[] = []
  let current = cause
  while (current !== undefined && current !== null && chain.length < 5) {
    chain.push(redactValue(current, 1))
    current = current instanceof Error ? current.cause : undefined
  }
  return chain
}

/** True for a NotificationTestError from any copy of notiprobe. */
export function isNotificationTestError(value: unknown): value is NotificationTestError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  )
}
