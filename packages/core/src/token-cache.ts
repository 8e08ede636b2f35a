import type { Clock } from './clock.js'
import type { AbortSource } from './deadline.js'
import type { Logger } from './logger.js'
import { redactingLogger } from './logger.js'
import { registerSecret } from './redact.js'

/** A token as the issuer gave it. */
export interface IssuedToken {
  readonly value: string
  /** How long it lives from when it was asked for; undefined when the issuer did not say. */
  readonly lifetimeMs: number | undefined
}

export interface TokenCacheOptions {
  /** Asks the issuer for a new token (OAuth client credentials, a GitHub App installation). */
  readonly issue: () => Promise<IssuedToken>
  readonly clock: Clock
  /** Lifetime assumed when the issuer gives none. */
  readonly defaultLifetimeMs: number
  /** A token is renewed this long before it expires, or after 90 % of its life if that is sooner. */
  readonly renewalMarginMs: number
  /** Named in debug lines: "SailPoint access token". */
  readonly description: string
  readonly logger?: Logger | undefined
}

interface CachedToken {
  readonly value: string
  readonly renewAt: number
}

/** Strings redaction already recognises by shape (JWTs); anything else is registered. */
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/

/**
 * A bearer token memoised the way credential providers should be: one cached token, renewed a
 * little before it expires; one fetch shared by every concurrent caller (single flight); a token
 * the API refused can be dropped so the next caller fetches anew. Each caller waits for the shared
 * fetch only as long as its own signal allows, without cancelling it for the others.
 */
export class TokenCache {
  readonly #options: TokenCacheOptions
  readonly #logger: Logger | undefined
  #cached: CachedToken | undefined
  #inflight: Promise<CachedToken> | undefined
  #fetches = 0

  constructor(options: TokenCacheOptions) {
    this.#options = options
    this.#logger = options.logger === undefined ? undefined : redactingLogger(options.logger)
  }

  /** How many tokens were asked for (each shared by every caller waiting on it). */
  get fetches(): number {
    return this.#fetches
  }

  /** The cached token while it is not due for renewal, without waiting: undefined otherwise. */
  current(): string | undefined {
    const cached = this.#cached
    return cached !== undefined && this.#options.clock.now() < cached.renewAt
      ? cached.value
      : undefined
  }

  /**
   * A valid token: the cached one, or a fresh one fetched once for every concurrent caller. `signal`
   * (a call's Deadline, or an AbortSignal) lets one caller stop waiting without cancelling the fetch.
   */
  async getToken(signal?: AbortSource): Promise<string> {
    const current = this.current()
    if (current !== undefined) return current
    if (this.#inflight === undefined) {
      const inflight = this.#fetch().finally(() => {
        if (this.#inflight === inflight) this.#inflight = undefined
      })
      // Handled here so that a fetch every caller stopped waiting for cannot go unhandled.
      inflight.catch(() => undefined)
      this.#inflight = inflight
    }
    const token = await untilAborted(this.#inflight, signal)
    return token.value
  }

  /** Drops `token` if it is the cached one (the API refused it); the next call fetches anew. */
  invalidate(token: string): void {
    if (this.#cached?.value === token) {
      this.#cached = undefined
      this.#logger?.debug(`dropped the cached ${this.#options.description} after a 401`)
    }
  }

  async #fetch(): Promise<CachedToken> {
    this.#fetches += 1
    const { clock, defaultLifetimeMs, renewalMarginMs } = this.#options
    const started = clock.now()
    const issued = await this.#options.issue()
    const lifetime = Math.max(0, issued.lifetimeMs ?? defaultLifetimeMs)
    // JWTs are redacted by shape; anything else is registered until it has expired.
    if (!JWT_SHAPE.test(issued.value)) {
      registerSecret(issued.value, { forgetAfterMs: lifetime + 60_000 })
    }
    // Counted from when the request left: the token cannot have been issued earlier.
    const expiresAt = started + lifetime
    const token = {
      value: issued.value,
      renewAt: expiresAt - Math.min(renewalMarginMs, lifetime / 10),
    }
    this.#cached = token
    this.#logger?.debug(`fetched a ${this.#options.description}`, {
      expiresInSeconds: Math.round(lifetime / 1000),
    })
    return token
  }
}

/** Waits for `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSource | undefined): Promise<T> {
  if (signal === undefined) return promise
  if (signal.aborted) return Promise.reject(reasonOf(signal))
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(reasonOf(signal))
    signal.addEventListener('abort', onAbort)
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/** Why `signal` aborted, as it says it: a Deadline's reason and an AbortSignal's are Errors. */
function reasonOf(signal: AbortSource): Error {
  return signal.reason as Error
}
