import { serverTlsSchema, type ServerTls } from '../common/loopback-tls.js'
import { z } from 'zod'
import type { PerformanceTestConfig } from './performance-test-run.js'
import type { AppleEnvironment } from './environment.js'

/** How the simulator enforces Apple's per-endpoint rate limits; see `rate-limits.ts`. */
export type AppleRateLimitMode = 'hourly' | 'per-second' | 'off'

export interface AppleSimulatorOptions {
  /** 0 (default) picks a free port; the simulator always binds 127.0.0.1. */
  port?: number
  /** Serve HTTPS with this certificate and key (`createLoopbackTls()`); plain HTTP otherwise. */
  tls?: ServerTls | undefined
  /** Default 'Sandbox'. */
  environment?: AppleEnvironment
  /** The app the simulator serves; JWTs must carry it as `bid`. Default 'com.example.notiprobe'. */
  bundleId?: string
  /** The app's Apple ID, put in production notifications and realtime requests. */
  appAppleId?: number
  /** Where TEST notifications are POSTed (App Store Connect's "Production/Sandbox Server URL"). */
  notificationUrl?: string
  /** The Get Retention Message endpoint the performance test loads. */
  realtimeUrl?: string
  /**
   * Whether the account has Retention Messaging API access (default true). Without it, Initiate
   * Performance Test answers a 404 with no body, as Apple does.
   */
  retentionMessaging?: boolean
  /** Time between a test request and its delivery attempt; default 100 ms. */
  deliveryDelayMs?: number
  /** An attempt with no complete answer by then is TIMED_OUT; default 3 000 ms. */
  deliveryTimeoutMs?: number
  /**
   * Production only: delays before each retry of a failed notification, at most 5 (Apple waits
   * 1, 12, 24, 48 and 72 hours). Default none: one attempt, as in sandbox.
   */
  retryDelaysMs?: number[]
  /**
   * 'hourly' (default): Apple's limits as it documents them, a budget per hour (360 Sandbox status
   * checks an hour); 'per-second': the strict per-second reading (one per 10 s); 'off'.
   */
  rateLimits?: AppleRateLimitMode
  /** Overrides of the performance test configuration the simulator hands out. */
  performanceTest?: Partial<PerformanceTestConfig>
  /** How long a history pagination token stays valid; default one hour. */
  historyPaginationTokenTtlMs?: number
  /** Clock for signed dates, JWT checks, rate limits and token expiry; default `Date.now`. */
  now?: () => number
  /** Randomness for probabilistic faults; default `Math.random`. */
  random?: () => number
}

/** Small enough that a demo run finishes in a couple of seconds. */
export const DEFAULT_PERFORMANCE_TEST_CONFIG: PerformanceTestConfig = {
  maxConcurrentRequests: 5,
  totalRequests: 50,
  totalDuration: 10_000,
  responseTimeThreshold: 700,
  successRateThreshold: 90,
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
const fn = <T>() => z.custom<T>((value) => typeof value === 'function', 'must be a function')
const positiveMs = z.number().int().min(1).max(3_600_000)

const performanceTestSchema = z.strictObject({
  maxConcurrentRequests: z.number().int().min(1).max(1000).optional(),
  totalRequests: z.number().int().min(1).max(1_000_000).optional(),
  totalDuration: positiveMs.optional(),
  responseTimeThreshold: positiveMs.optional(),
  successRateThreshold: z.number().int().min(0).max(100).optional(),
})

/** Module-level so it is built once. Unknown keys are an error, as everywhere in notiprobe. */
const optionsSchema = z.strictObject({
  port: z.number().int().min(0).max(65_535).optional(),
  tls: serverTlsSchema.optional(),
  environment: z.enum(['Sandbox', 'Production']).optional(),
  bundleId: z.string().min(1).max(155).optional(),
  appAppleId: z.number().int().positive().optional(),
  notificationUrl: httpUrl.optional(),
  realtimeUrl: httpUrl.optional(),
  retentionMessaging: z.boolean().optional(),
  deliveryDelayMs: z.number().int().min(0).max(3_600_000).optional(),
  deliveryTimeoutMs: positiveMs.optional(),
  retryDelaysMs: z.array(z.number().int().min(0)).max(5).optional(),
  rateLimits: z.enum(['hourly', 'per-second', 'off']).optional(),
  performanceTest: performanceTestSchema.optional(),
  historyPaginationTokenTtlMs: z.number().int().min(1).optional(),
  now: fn<() => number>().optional(),
  random: fn<() => number>().optional(),
})

export interface ResolvedAppleOptions {
  port: number
  tls: ServerTls | undefined
  environment: AppleEnvironment
  bundleId: string
  appAppleId: number
  notificationUrl: string | undefined
  realtimeUrl: string | undefined
  retentionMessaging: boolean
  deliveryDelayMs: number
  deliveryTimeoutMs: number
  retryDelaysMs: number[]
  rateLimits: AppleRateLimitMode
  performanceTest: PerformanceTestConfig
  historyPaginationTokenTtlMs: number
  now: () => number
  random: () => number
}

/** Validates the options and fills in defaults; throws with a readable message when invalid. */
export function resolveAppleOptions(options: AppleSimulatorOptions = {}): ResolvedAppleOptions {
  const parsed = optionsSchema.safeParse(options)
  if (!parsed.success) {
    throw new TypeError(`invalid Apple simulator options: ${z.prettifyError(parsed.error)}`)
  }
  const o = parsed.data
  return {
    port: o.port ?? 0,
    tls: o.tls,
    environment: o.environment ?? 'Sandbox',
    bundleId: o.bundleId ?? 'com.example.notiprobe',
    appAppleId: o.appAppleId ?? 1_234_567_890,
    notificationUrl: o.notificationUrl,
    realtimeUrl: o.realtimeUrl,
    retentionMessaging: o.retentionMessaging ?? true,
    deliveryDelayMs: o.deliveryDelayMs ?? 100,
    deliveryTimeoutMs: o.deliveryTimeoutMs ?? 3_000,
    retryDelaysMs: o.retryDelaysMs ?? [],
    rateLimits: o.rateLimits ?? 'hourly',
    performanceTest: { ...DEFAULT_PERFORMANCE_TEST_CONFIG, ...o.performanceTest },
    historyPaginationTokenTtlMs: o.historyPaginationTokenTtlMs ?? 3_600_000,
    now: o.now ?? Date.now,
    random: o.random ?? Math.random,
  }
}

/** Checks a URL given to `setNotificationUrl` / `setRealtimeUrl`. */
export function checkUrl(url: string, what: string): string {
  const parsed = httpUrl.safeParse(url)
  if (!parsed.success)
    throw new TypeError(`${what} must be an http(s) URL, got ${JSON.stringify(url)}`)
  return parsed.data
}
