import type { ErrorKind } from './error-kind.js'
import type { Logger } from './logger.js'

/**
 * What an adapter tells its caller while it waits, so that no wait is silent: a retry, a rate
 * limit, a connection. Events hold plain facts (vendor, operation, host, proxy without its
 * credentials, times from the adapter's clock): never a header, a body, a token or a key.
 */
export type AdapterEvent = ConnectingEvent | RetryEvent | RateLimitWaitEvent

interface EventBase {
  readonly vendor: string
  /** The operation's stable name: `apple.requestTestNotification`. */
  readonly operation: string
  /** When the event happened (epoch ms, the adapter's clock). */
  readonly at: number
}

/** A first connection to a host, or a new one after a connection failed. */
export interface ConnectingEvent extends EventBase {
  readonly type: 'connecting'
  /** `host:port` of the vendor. */
  readonly host: string
  /** The proxy the connection is tunnelled through, as it may be printed (no credentials). */
  readonly proxy?: { readonly display: string; readonly source: string } | undefined
}

/** A failed attempt that will be repeated after `delayMs`. */
export interface RetryEvent extends EventBase {
  readonly type: 'retry'
  /** The attempt that failed (1 for the first). */
  readonly attempt: number
  readonly maxAttempts: number
  readonly reason: {
    readonly kind: ErrorKind
    readonly httpStatus?: number | undefined
    /** The network failure's code (ECONNREFUSED) when no answer came back. */
    readonly code?: string | undefined
  }
  /** Set when the vendor said how long to wait (`Retry-After`), which `delayMs` then is. */
  readonly retryAfterMs?: number | undefined
  readonly delayMs: number
  /** When the next attempt starts. */
  readonly retryAt: number
}

/** A wait before a request for a rate limit: the vendor's (an earlier 429) or notiprobe's own budget. */
export interface RateLimitWaitEvent extends EventBase {
  readonly type: 'rate-limit-wait'
  readonly source: 'vendor' | 'budget'
  readonly delayMs: number
  readonly until: number
}

export type AdapterEventListener = (event: AdapterEvent) => void

/**
 * A listener that never breaks the call it watches: what it throws is logged and dropped, and the
 * event it gets is frozen, so a listener cannot change what others see.
 */
export function safeListener(
  listener: AdapterEventListener | undefined,
  logger: Logger | undefined,
): (event: AdapterEvent) => void {
  if (listener === undefined) return () => undefined
  return (event) => {
    try {
      listener(Object.freeze(event))
    } catch (error) {
      logger?.debug(`the onEvent listener threw on a ${event.type} event; ignored`, {
        error: error instanceof Error ? error.name : typeof error,
      })
    }
  }
}
