import { RateLimiter } from '../common/rate-limiter.js'
import type { IssuedToken } from './token-store.js'

/** SailPoint's gateway limit: 100 requests per 10 seconds, across every API endpoint. */
export const SAILPOINT_RATE_LIMIT = { limit: 100, windowMs: 10_000 } as const

/**
 * What the 100 requests are counted per: `'token'`, as SailPoint documented it until 2026-03, or
 * `'clientId'`, as its 2026-03 documentation says the gateway counts (a new token of the same
 * client does not get a new budget).
 */
export type RateLimitCounting = 'token' | 'clientId'

/**
 * SailPoint's route back-off (2026-03 documentation): when one client exceeds the limit in
 * `intervalThreshold` distinct windows within `violationWindowMs`, the route answers 429 for the
 * next tier's duration; tiers escalate while the last one is remembered (`tierMemoryMs` after it
 * ended), up to 1,200 s.
 */
export const ROUTE_BACKOFF = {
  intervalThreshold: 3,
  tiersSeconds: [60, 300, 600, 1200],
  violationWindowMs: 120_000,
  tierMemoryMs: 3_600_000,
} as const

export type GatewayDecision = { ok: true } | { ok: false; retryAfterSeconds: number }

interface Backoff {
  /** Ends of the limit windows this client exceeded, recent first; distinct windows only. */
  violated: number[]
  /** Index into the tiers of the last back-off, and when it ended. */
  tier: number
  until: number
}

/** The SailPoint gateway's view of one request: the limit, then any route back-off. */
export class GatewayRateLimit {
  readonly #now: () => number
  readonly #counting: RateLimitCounting
  readonly #routeBackoff: boolean
  readonly #limiter: RateLimiter
  readonly #backoffs = new Map<string, Backoff>()

  constructor(options: { now: () => number; counting: RateLimitCounting; routeBackoff: boolean }) {
    this.#now = options.now
    this.#counting = options.counting
    this.#routeBackoff = options.routeBackoff
    this.#limiter = new RateLimiter({ now: options.now })
  }

  /** Counts one request of `token` on `route`; `ok: false` is a 429 with that `Retry-After`. */
  take(token: IssuedToken, route: string): GatewayDecision {
    const now = this.#now()
    const backoffKey = `${token.clientId}\n${route}`
    const backoff = this.#routeBackoff ? this.#backoffs.get(backoffKey) : undefined
    if (backoff !== undefined && now < backoff.until) {
      return { ok: false, retryAfterSeconds: Math.ceil((backoff.until - now) / 1000) }
    }
    const key = this.#counting === 'token' ? `token:${token.jti}` : `client:${token.clientId}`
    const decision = this.#limiter.take(key, SAILPOINT_RATE_LIMIT)
    if (decision.ok) return { ok: true }
    const limited = {
      ok: false as const,
      retryAfterSeconds: Math.ceil(decision.retryAfterMs / 1000),
    }
    if (!this.#routeBackoff) return limited
    return this.#escalate(backoffKey, decision.resetAtMs, now) ?? limited
  }

  /** Records a violated window; starts the next back-off tier once enough windows were violated. */
  #escalate(key: string, windowEnd: number, now: number): GatewayDecision | undefined {
    const state = this.#backoffs.get(key) ?? { violated: [], tier: -1, until: 0 }
    this.#backoffs.set(key, state)
    const recent = state.violated.filter((end) => now - end < ROUTE_BACKOFF.violationWindowMs)
    if (!recent.includes(windowEnd)) recent.unshift(windowEnd)
    state.violated = recent
    if (recent.length < ROUTE_BACKOFF.intervalThreshold) return undefined
    const remembered = state.tier >= 0 && now - state.until < ROUTE_BACKOFF.tierMemoryMs
    const tiers = ROUTE_BACKOFF.tiersSeconds
    state.tier = remembered ? Math.min(state.tier + 1, tiers.length - 1) : 0
    const seconds = tiers[state.tier] ?? tiers[tiers.length - 1] ?? 1200
    state.until = now + seconds * 1000
    state.violated = []
    return { ok: false, retryAfterSeconds: seconds }
  }
}
