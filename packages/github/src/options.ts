import type { RetryPolicy } from '@notiprobe/core'
import {
  adapterOptionsShape,
  parseWith,
  systemClock,
  systemRandom,
  type AdapterOptions,
  type ResolvedAdapterOptions,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import { authSchema, type GitHubAuth, type ResolvedAuth } from './auth.js'
import { checkGitHubBaseUrl } from './base-url.js'
import {
  DEFAULT_API_VERSION,
  GITHUB_API_URL,
  GITHUB_API_VERSIONS,
  OPERATIONS,
  VENDOR,
  type GitHubApiVersion,
} from './constants.js'
import { expected, millisecondsSchema } from './fields.js'
import { targetSchema, type GitHubTarget, type ResolvedTarget } from './target.js'

/** Options of `createGitHubTester`. Unknown keys are refused. */
export interface GitHubTesterOptions extends AdapterOptions {
  readonly target: GitHubTarget
  readonly auth: GitHubAuth
  /**
   * `https://api.github.com` (default), GitHub Enterprise Server's `https://HOST/api/v3`, or
   * GHE.com's `https://api.SUBDOMAIN.ghe.com`; `http://` only on loopback (a simulator).
   */
  readonly baseUrl?: string | undefined
  /** `X-GitHub-Api-Version`: `2022-11-28` (default, and what GHES speaks) or `2026-03-10`. */
  readonly apiVersion?: GitHubApiVersion | undefined
  /** Default deadline of each call, retries included (30 000 ms). */
  readonly timeoutMs?: number | undefined
  /**
   * `vendor` (default) keeps GitHub's rules: writes (pings, tests, redeliveries) at least a second
   * apart. `off` drops the spacing, for a simulator.
   */
  readonly rateLimits?: 'vendor' | 'off' | undefined
  /** Least time between two checks while waiting (5 000 ms; 250 ms with `rateLimits: 'off'`). */
  readonly pollIntervalMs?: number | undefined
  readonly retry?: Partial<RetryPolicy> | undefined
}

export interface ResolvedGitHubOptions extends ResolvedAdapterOptions {
  readonly target: ResolvedTarget
  readonly auth: ResolvedAuth
  readonly baseUrl: string
  readonly apiVersion: GitHubApiVersion
  readonly timeoutMs: number
  readonly rateLimits: 'vendor' | 'off'
  readonly pollIntervalMs: number
  readonly retry: Partial<RetryPolicy> | undefined
}

export const DEFAULT_TIMEOUT_MS = 30_000
/** GitHub says deliveries can take minutes to show; checking more often only spends the budget. */
export const DEFAULT_POLL_INTERVAL_MS = 5_000
const UNLIMITED_POLL_INTERVAL_MS = 250

const optionsSchema = z
  .strictObject({
    target: targetSchema,
    auth: authSchema,
    baseUrl: z._default(
      z.pipe(
        z.string(expected('a URL such as https://api.github.com')),
        z.transform((value, ctx) => {
          const checked = checkGitHubBaseUrl(value.trim(), 'baseUrl')
          if ('url' in checked) return checked.url
          ctx.addIssue({ code: 'custom', message: checked.problem })
          return z.NEVER
        }),
      ),
      GITHUB_API_URL,
    ),
    apiVersion: z._default(
      z.enum(GITHUB_API_VERSIONS, expected(`one of ${GITHUB_API_VERSIONS.join(', ')}`)),
      DEFAULT_API_VERSION,
    ),
    timeoutMs: z.optional(millisecondsSchema(1, 86_400_000)),
    rateLimits: z.optional(z.enum(['vendor', 'off'], expected("'vendor' or 'off'"))),
    pollIntervalMs: z.optional(millisecondsSchema(100, 3_600_000)),
    retry: z.optional(
      z.strictObject(
        {
          maxAttempts: z.optional(z.number().check(z.int(), z.gte(1), z.lte(10))),
          baseDelayMs: z.optional(millisecondsSchema(0, 60_000)),
          maxDelayMs: z.optional(millisecondsSchema(0, 600_000)),
          maxRetryAfterMs: z.optional(millisecondsSchema(0, 86_400_000)),
        },
        expected('a retry policy {maxAttempts?, baseDelayMs?, maxDelayMs?, maxRetryAfterMs?}'),
      ),
    ),
    ...adapterOptionsShape,
  })
  .check(
    z.superRefine((value, ctx) => {
      // `/app/hook/*` takes the App's JWT only; no token can read it.
      if (value.target.type === 'app' && value.auth.type !== 'app') {
        ctx.addIssue({
          code: 'custom',
          path: ['auth'],
          message:
            "must be the GitHub App {clientId or appId, privateKey} for the App's own hook: GitHub accepts only the App's JWT there",
        })
      }
      if (
        value.target.type === 'app' &&
        value.auth.type === 'app' &&
        value.auth.installationId !== undefined
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['auth', 'installationId'],
          message: "is not used for the App's own hook, which takes the App's JWT; remove it",
        })
      }
    }),
  )

/**
 * Validates `createGitHubTester`'s options once, before any request: every problem is reported
 * with its field and what is allowed; the private key is parsed and the token registered as a
 * secret here.
 */
export function resolveGitHubOptions(options: GitHubTesterOptions): ResolvedGitHubOptions {
  const parsed = parseWith(optionsSchema, options, {
    vendor: VENDOR,
    operation: OPERATIONS.configure,
    kind: 'config',
    subject: 'GitHub tester options',
  })
  return {
    target: parsed.target,
    auth: parsed.auth,
    baseUrl: parsed.baseUrl,
    apiVersion: parsed.apiVersion,
    timeoutMs: parsed.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    rateLimits: parsed.rateLimits ?? 'vendor',
    pollIntervalMs:
      parsed.pollIntervalMs ??
      (parsed.rateLimits === 'off' ? UNLIMITED_POLL_INTERVAL_MS : DEFAULT_POLL_INTERVAL_MS),
    retry: parsed.retry,
    clock: parsed.clock ?? systemClock,
    random: parsed.random ?? systemRandom,
    logger: parsed.logger,
    proxy: parsed.proxy,
    ca: parsed.ca,
    onEvent: parsed.onEvent,
  }
}
