import { isNotificationTestError } from '@notiprobe/core'
import {
  adapterOptionsShape,
  invalidFields,
  optionsObjectErrors,
  registerSecret,
  systemClock,
  unreadableField,
  systemRandom,
  type FieldIssue,
  type RateLimit,
  type RetryPolicy,
  type AdapterOptions,
  type ResolvedAdapterOptions,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import {
  API_VERSIONS,
  SAILPOINT_OPERATIONS,
  VENDOR,
  type SailPointApiVersion,
} from './constants.js'
import { checkApiBaseUrl, resolveTokenUrl, tenantBaseUrl } from './host.js'

/** What `createSailPointTester` takes. Exactly one of `tenant` and `baseUrl`. */
export interface SailPointTesterOptions extends AdapterOptions {
  /** Tenant name, a DNS label: `acme` for `https://acme.api.identitynow.com`. */
  readonly tenant?: string | undefined
  /** The API base URL, for vanity hosts and the simulator: `https://acme.api.identitynow.com`. */
  readonly baseUrl?: string | undefined
  /** With `tenant`: a government tenant, on `api.identitynowgov.com`. */
  readonly government?: boolean | undefined
  /** Client id of a personal access token or OAuth client (ORG_ADMIN for send-test). */
  readonly clientId: string
  /** Its secret. Registered for redaction; never shown in any message, log line or JSON. */
  readonly clientSecret: string
  /** `'beta'` (default): `POST /beta/send-test-notification`; `'v1'`: `/send-test-notification/v1`. */
  readonly apiVersion?: SailPointApiVersion | undefined
  /** OAuth token endpoint; default `{baseUrl}/oauth/token`. Must be on the API's host. */
  readonly tokenUrl?: string | undefined
  /** Default deadline of each call, token fetch and retries included; default 30 000 ms. */
  readonly timeoutMs?: number | undefined
  /** Overrides of core's retry policy (attempts, backoff, the most a `Retry-After` may make us wait). */
  readonly retry?: Partial<RetryPolicy> | undefined
  /**
   * `vendor` (default) keeps calls within SailPoint's limits (see `rateLimit`); `off` sends without
   * waiting, only for simulators and tests. The same option as the Apple adapter's.
   */
  readonly rateLimits?: 'vendor' | 'off' | undefined
  /**
   * The client-side limit on API calls, with `rateLimits: 'vendor'`. SailPoint documents 100
   * requests per access token per 10 s, and since 2026-03 per client id: so the budget belongs to
   * the client id, shared by every tester with the same `clientId` and clock in this process, and a
   * new token never resets it. The default, 50 at once then 5 a second, never exceeds 100 in any
   * 10 s window. Raise it only for a simulator or a gateway with other limits.
   */
  readonly rateLimit?: RateLimit | undefined
}

/** Options checked and completed: what the tester runs on. */
export interface ResolvedSailPointOptions extends ResolvedAdapterOptions {
  readonly baseUrl: string
  readonly tokenUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly apiVersion: SailPointApiVersion
  readonly timeoutMs: number
  readonly retry: Partial<RetryPolicy> | undefined
  /** The client-side limit; undefined with `rateLimits: 'off'`. */
  readonly rateLimit: RateLimit | undefined
}

export const DEFAULT_TIMEOUT_MS = 30_000
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 5, burst: 50 }

const OPTION_NAMES = [
  'tenant',
  'baseUrl',
  'government',
  'clientId',
  'clientSecret',
  'apiVersion',
  'tokenUrl',
  'timeoutMs',
  'retry',
  'rateLimits',
  'rateLimit',
  'clock',
  'random',
  'logger',
  'proxy',
  'ca',
  'onEvent',
] as const

type OptionName = (typeof OPTION_NAMES)[number]

/** How each option is called where it came from: itself, or an environment variable. */
export type OptionNames = Readonly<Partial<Record<OptionName, string>>>

function text(what: string, max: number) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? `is required (${what})` : 'must be a string'),
    })
    .check(
      z.minLength(1, `must not be empty (${what})`),
      z.maxLength(max, `must be at most ${max} characters`),
      z.superRefine((value, ctx) => {
        if (value === '') return
        if (value.trim() !== value) {
          ctx.addIssue({
            code: 'custom',
            message: 'has leading or trailing whitespace; check how it was copied',
          })
        } else if (!/^[\x21-\x7e]+$/.test(value)) {
          ctx.addIssue({
            code: 'custom',
            message: 'must hold printable ASCII characters only, no spaces',
          })
        }
      }),
    )
}

const url = (example: string) =>
  z
    .string({ error: 'must be a string' })
    .check(z.minLength(1, `must not be empty (e.g. ${example})`))

const int = (min: number, max: number, unit: string) =>
  z
    .number({ error: `must be a number of ${unit}` })
    .check(
      z.int(`must be a whole number of ${unit}`),
      z.gte(min, `must be at least ${min} ${min === 1 ? unit.slice(0, -1) : unit}`),
      z.lte(max, `must be at most ${max} ${unit}`),
    )

const optionsSchema = z.strictObject(
  {
    tenant: z.optional(z.string({ error: 'must be a string' })),
    baseUrl: z.optional(url('https://acme.api.identitynow.com')),
    government: z.optional(z.boolean({ error: 'must be true or false' })),
    clientId: text('the client id of a SailPoint personal access token or OAuth client', 256),
    clientSecret: text('the client secret that goes with clientId', 1024),
    apiVersion: z.optional(
      z.enum(API_VERSIONS, {
        error: `must be one of ${API_VERSIONS.map((v) => `'${v}'`).join(', ')}`,
      }),
    ),
    tokenUrl: z.optional(url('https://acme.api.identitynow.com/oauth/token')),
    timeoutMs: z.optional(int(1, 600_000, 'milliseconds')),
    retry: z.optional(
      z.strictObject(
        {
          maxAttempts: z.optional(int(1, 10, 'attempts')),
          baseDelayMs: z.optional(int(0, 60_000, 'milliseconds')),
          maxDelayMs: z.optional(int(0, 600_000, 'milliseconds')),
          maxRetryAfterMs: z.optional(int(0, 3_600_000, 'milliseconds')),
        },
        {
          error: optionsObjectErrors([
            'maxAttempts',
            'baseDelayMs',
            'maxDelayMs',
            'maxRetryAfterMs',
          ]),
        },
      ),
    ),
    rateLimits: z.optional(z.enum(['vendor', 'off'], { error: "must be 'vendor' or 'off'" })),
    rateLimit: z.optional(
      z.strictObject(
        {
          perSecond: z
            .number({ error: 'must be a number of requests a second' })
            .check(z.positive('must be more than 0'), z.lte(1000, 'must be at most 1000')),
          burst: z.optional(int(1, 1000, 'requests')),
        },
        { error: optionsObjectErrors(['perSecond', 'burst']) },
      ),
    ),
    ...adapterOptionsShape,
  },
  { error: optionsObjectErrors(OPTION_NAMES) },
)

/** A limit given with the limits off is a mistake worth naming, not an option silently ignored. */
const checkedOptionsSchema = optionsSchema.check(
  z.superRefine((options, ctx) => {
    if (options.rateLimits === 'off' && options.rateLimit !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['rateLimit'],
        message: "applies only with rateLimits 'vendor'; with 'off' there is no client-side limit",
      })
    }
  }),
)

/**
 * Checks the options and works out the hosts, reporting every problem at once with the field (or
 * environment variable) it concerns. The secret is registered for redaction before anything else.
 */
export function resolveOptions(
  input: unknown,
  names: OptionNames = {},
  subject = 'SailPoint tester options',
): ResolvedSailPointOptions {
  const fail = (issues: readonly FieldIssue[]): never => {
    const operation = SAILPOINT_OPERATIONS.configure.name
    throw invalidFields({ vendor: VENDOR, operation, kind: 'config', subject, names }, issues)
  }
  try {
    return resolveReadable(input, names, fail)
  } catch (error) {
    // A getter or Proxy in the caller's object threw: refused like any other bad field.
    if (isNotificationTestError(error)) throw error
    return fail([unreadableField(input)])
  }
}

function resolveReadable(
  input: unknown,
  names: OptionNames,
  fail: (issues: readonly FieldIssue[]) => never,
): ResolvedSailPointOptions {
  const secret = (input as { clientSecret?: unknown } | null | undefined)?.clientSecret
  if (typeof secret === 'string') registerSecret(secret)

  if (input === undefined || input === null || typeof input !== 'object') {
    return fail([{ path: [], message: 'expected an options object' }])
  }
  const parsed = z.safeParse(checkedOptionsSchema, input)
  // The hosts are checked even when other fields are wrong, so one error lists every problem.
  const hosts = resolveHosts(input as Record<string, unknown>, names)
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...hosts.problems]
  if (!parsed.success || !('baseUrl' in hosts)) return fail(issues)
  const options = parsed.data
  return {
    baseUrl: hosts.baseUrl,
    tokenUrl: hosts.tokenUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    apiVersion: options.apiVersion ?? 'beta',
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: options.retry,
    rateLimit: options.rateLimits === 'off' ? undefined : (options.rateLimit ?? DEFAULT_RATE_LIMIT),
    clock: options.clock ?? systemClock,
    random: options.random ?? systemRandom,
    logger: options.logger,
    proxy: options.proxy,
    ca: options.ca,
    onEvent: options.onEvent,
  }
}

/** The API base URL and token URL, or what is wrong with the fields that give them. */
function resolveHosts(
  input: Readonly<Record<string, unknown>>,
  names: OptionNames,
): { baseUrl: string; tokenUrl: string; problems: [] } | { problems: FieldIssue[] } {
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' ? value : undefined
  // Type errors in these fields are reported by the schema.
  const tenant = text(input.tenant)
  const explicit = text(input.baseUrl)
  const problems: FieldIssue[] = []
  const tenantName = names.tenant ?? 'tenant'
  const baseUrlName = names.baseUrl ?? 'baseUrl'
  let baseUrl: string | undefined
  if ((input.tenant === undefined) === (input.baseUrl === undefined)) {
    problems.push({
      path: [],
      message:
        input.tenant === undefined
          ? `give ${tenantName} (e.g. "acme") or ${baseUrlName} (e.g. https://acme.api.identitynow.com)`
          : `give ${tenantName} or ${baseUrlName}, not both`,
    })
  } else if (tenant !== undefined) {
    const host = tenantBaseUrl(tenant, input.government === true)
    if ('problem' in host) problems.push({ path: ['tenant'], message: host.problem })
    else baseUrl = host.url
  } else if (explicit !== undefined) {
    if (input.government !== undefined) {
      problems.push({
        path: ['government'],
        message: `applies to ${tenantName} only; with ${baseUrlName}, give the government host itself (https://acme.api.identitynowgov.com)`,
      })
    }
    const host = checkApiBaseUrl(explicit)
    if ('problem' in host) problems.push({ path: ['baseUrl'], message: host.problem })
    else baseUrl = host.url
  }
  if (baseUrl === undefined) return { problems }
  const tokenUrl = input.tokenUrl === undefined ? undefined : text(input.tokenUrl)
  if (input.tokenUrl !== undefined && tokenUrl === undefined) return { problems }
  const token = resolveTokenUrl(baseUrl, tokenUrl)
  if ('problem' in token) problems.push({ path: ['tokenUrl'], message: token.problem })
  if (problems.length > 0 || 'problem' in token) return { problems }
  return { baseUrl, tokenUrl: token.url, problems: [] }
}
