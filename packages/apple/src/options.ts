import { KeyObject } from 'node:crypto'
import {
  RateLimiter,
  adapterOptionsShape,
  systemClock,
  type RetryPolicy,
  type AdapterOptions,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import type { AppleEnvironment } from './environment.js'
import type { AppleRateLimits } from './hosts.js'
import {
  expected,
  issuerIdSchema,
  keyIdSchema,
  requireAppAppleIdInProduction,
  verifiedAppShape,
} from './fields.js'
import type { RootCertificateInput } from './trusted-roots.js'

/** Options of `createAppleTester`. Unknown keys are refused. */
export interface AppleTesterOptions extends AdapterOptions {
  /** App Store Connect issuer id (a UUID). */
  readonly issuerId: string
  /** Id of the In-App Purchase key (10 characters). */
  readonly keyId: string
  /** The `.p8` key: its PEM text, the path of the file, or a `KeyObject`. Parsed once. */
  readonly privateKey: string | KeyObject
  readonly bundleId: string
  readonly environment: AppleEnvironment
  /** The app's Apple ID; required in Production, where notifications are verified against it. */
  readonly appAppleId?: number | undefined
  /** Replaces both Apple hosts, e.g. the simulator's `http://127.0.0.1:port`. */
  readonly baseUrl?: string | undefined
  /** Roots trusted for signed payloads, replacing Apple Root CA - G3. */
  readonly rootCertificates?: readonly RootCertificateInput[] | undefined
  /** Default deadline of each call, retries included (30 000 ms). */
  readonly timeoutMs?: number | undefined
  readonly retry?: Partial<RetryPolicy> | undefined
  /**
   * `hourly` (default) keeps calls within Apple's hourly budgets and lets them burst (a Sandbox
   * status check a second apart); `per-second` spaces every call at Apple's per-second rate (one
   * Sandbox status check per 10 s); `off` only for simulators and tests. See `AppleRateLimits`.
   */
  readonly rateLimits?: AppleRateLimits | undefined
  /**
   * The budget this tester spends, from `createAppleRateLimiter`. Apple's limits are per app: give
   * every tester of the same app in a process the same one. By default each tester has its own.
   */
  readonly rateLimiter?: RateLimiter | undefined
}

const milliseconds = (max: number) =>
  z
    .number(expected('a number of milliseconds'))
    .check(
      z.int({ error: 'expected a whole number of milliseconds' }),
      z.gte(0, { error: 'expected 0 or more milliseconds' }),
      z.lte(max, { error: `expected at most ${max} milliseconds` }),
    )

export const appleTesterOptionsSchema = z
  .strictObject({
    issuerId: issuerIdSchema,
    keyId: keyIdSchema,
    privateKey: z.union(
      [
        z.string().check(z.minLength(1)),
        z.custom<KeyObject>((value) => value instanceof KeyObject),
      ],
      expected('the .p8 key as PEM text, the path of the .p8 file, or a KeyObject'),
    ),
    ...verifiedAppShape,
    baseUrl: z.optional(z.string(expected('a URL such as https://api.storekit.apple.com'))),
    ...adapterOptionsShape,
    timeoutMs: z.optional(
      milliseconds(3_600_000).check(z.gte(1, { error: 'expected at least 1 millisecond' })),
    ),
    retry: z.optional(
      z.partial(
        z.strictObject({
          maxAttempts: z
            .number(expected('a number of attempts'))
            .check(
              z.int({ error: 'expected a whole number of attempts' }),
              z.gte(1, { error: 'expected at least 1 attempt' }),
              z.lte(10, { error: 'expected at most 10 attempts' }),
            ),
          baseDelayMs: milliseconds(60_000),
          maxDelayMs: milliseconds(600_000),
          maxRetryAfterMs: milliseconds(3_600_000),
        }),
      ),
    ),
    rateLimits: z._default(
      z.enum(['hourly', 'per-second', 'off'], expected('hourly, per-second or off')),
      'hourly',
    ),
    rateLimiter: z.optional(
      z.custom<RateLimiter>((value) => value instanceof RateLimiter, {
        error: 'expected a rate limiter from createAppleRateLimiter()',
      }),
    ),
  })
  .check(
    z.superRefine(requireAppAppleIdInProduction),
    z.superRefine((options, context) => {
      const limiter = options.rateLimiter
      if (limiter === undefined) return
      if (options.rateLimits === 'off') {
        context.addIssue({
          code: 'custom',
          path: ['rateLimiter'],
          message: "applies only with rateLimits 'hourly' or 'per-second'; 'off' has no limiter",
        })
      } else if (limiter.clock !== (options.clock ?? systemClock)) {
        context.addIssue({
          code: 'custom',
          path: ['rateLimiter'],
          message: 'counts time on another clock than `clock`: create it with the same clock',
        })
      }
    }),
  )

export type ResolvedAppleTesterOptions = z.output<typeof appleTesterOptionsSchema>
