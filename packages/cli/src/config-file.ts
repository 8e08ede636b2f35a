import { dirname, resolve } from 'node:path'
import { describeIssues } from '@notiprobe/core/adapter'
import { APPLE_ENVIRONMENTS } from '@notiprobe/apple/values'
import { API_VERSIONS, MEDIUMS } from '@notiprobe/sailpoint/values'
import { z } from '@notiprobe/core/zod'
import { parseDuration } from './duration.js'
import { canonicalChoice } from './one-of.js'
import { usageError } from './errors.js'
import type { Io } from './io.js'
import { READ_LIMITS, readTextFile } from './secrets.js'
import { withHome } from './settings/home-paths.js'

type Env = Io['env']

/**
 * The `run --config` file: which vendors to check and how. JSON, validated field by field; every
 * setting left out is read from the environment (the same variables as the vendor commands).
 * Secrets are never written in it: they come from the environment or from a file it names.
 *
 * ```json
 * {
 *   "timeout": "2m",
 *   "apple": { "bundleId": "com.example.app", "environment": "Sandbox" },
 *   "sailpoint": {
 *     "tenant": "acme",
 *     "checks": [{ "key": "cloud_manual_work_item_summary", "medium": "EMAIL" }]
 *   },
 *   "github": { "repository": "octocat/hello-world", "hookId": 12345678 }
 * }
 * ```
 */

export const DEFAULT_CONFIG_FILE = 'notiprobe.config.json'

const OPERATION = 'notiprobe.run'

const VENDORS = ['apple', 'sailpoint', 'github'] as const
type Vendor = (typeof VENDORS)[number]

const duration = z.union([
  z.number().check(z.positive('must be more than 0 (seconds)')),
  z.string().check(
    z.refine((text) => parseDuration(text) !== undefined, {
      message: 'must be a duration such as "90s", "2m" or "500ms"',
    }),
  ),
])

const nonEmpty = (what: string) =>
  z
    .string({ error: `must be a string (${what})` })
    .check(z.minLength(1, `must not be empty (${what})`))

/** Keys that would put a secret in the file, and where the secret belongs instead. */
const SECRET_KEYS: Readonly<Record<string, string>> = {
  'apple.privateKey': 'set APPLE_PRIVATE_KEY, or name a .p8 file with apple.privateKeyFile',
  'sailpoint.clientSecret':
    'set SAIL_CLIENT_SECRET, or name a file holding it with sailpoint.clientSecretFile',
  'github.token': 'set GH_TOKEN or GITHUB_TOKEN',
  'github.privateKey': 'set GITHUB_APP_PRIVATE_KEY_FILE (or GITHUB_APP_PRIVATE_KEY)',
}

function strict<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; allowed: ${Object.keys(shape).join(', ')}`
      }
      if (issue.code === 'invalid_type') return 'must be an object'
      return undefined
    },
  })
}

/** A zod enum that takes any case and gives the canonical value. */
function caseInsensitiveEnum<const T extends string>(values: readonly [T, ...T[]]) {
  return z.meta(
    z.preprocess(
      (input) => (typeof input === 'string' ? (canonicalChoice(values, input) ?? input) : input),
      z.enum(values, { error: `must be one of ${values.join(', ')} (any case)` }),
    ),
    { anyCaseOf: values, description: `one of ${values.join(', ')}, in any case` },
  )
}

const appleSection = strict({
  issuerId: z.optional(nonEmpty('the issuer id from App Store Connect')),
  keyId: z.optional(nonEmpty('the In-App Purchase key id')),
  privateKeyFile: z.optional(nonEmpty('path of the .p8 key')),
  bundleId: z.optional(nonEmpty('the app bundle id')),
  environment: z.optional(caseInsensitiveEnum(APPLE_ENVIRONMENTS)),
  appAppleId: z.optional(
    z
      .number({ error: 'must be a number (the app Apple ID)' })
      .check(z.int('must be a whole number'), z.positive('must be positive')),
  ),
  baseUrl: z.optional(nonEmpty('e.g. https://api.storekit-sandbox.apple.com')),
  rootCertificateFiles: z.optional(
    z.array(nonEmpty('path of a PEM certificate')).check(z.minLength(1)),
  ),
})

const sailPointCheck = strict({
  name: z.optional(nonEmpty('the name of the check in the report')),
  key: nonEmpty('a template key, e.g. cloud_manual_work_item_summary'),
  medium: caseInsensitiveEnum(MEDIUMS),
  context: z.optional(
    z.record(z.string(), z.unknown(), { error: 'must be an object of template variables' }),
  ),
  locale: z.optional(nonEmpty('e.g. en')),
  recipients: z.optional(z.array(z.email('must be an email address')).check(z.minLength(1))),
})

const sailPointSection = strict({
  tenant: z.optional(nonEmpty('the tenant name, e.g. acme')),
  baseUrl: z.optional(nonEmpty('e.g. https://acme.api.identitynow.com')),
  clientId: z.optional(nonEmpty('the client id of a personal access token')),
  clientSecretFile: z.optional(nonEmpty('path of a file holding the client secret')),
  apiVersion: z.optional(caseInsensitiveEnum(API_VERSIONS)),
  tokenUrl: z.optional(nonEmpty('e.g. https://acme.api.identitynow.com/oauth/token')),
  checks: z
    .array(sailPointCheck, { error: 'must be a list of {key, medium} checks' })
    .check(z.minLength(1, 'must hold at least one {key, medium} check')),
})

/** Which hook to ping; credentials come from the environment (GITHUB_TOKEN or the App's). */
const gitHubSection = strict({
  repository: z.optional(
    z
      .string({ error: 'must be owner/name, e.g. octocat/hello-world' })
      .check(z.regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/name, e.g. octocat/hello-world')),
  ),
  org: z.optional(nonEmpty('an organization login')),
  app: z.optional(z.literal(true, { error: "must be true, for the GitHub App's own hook" })),
  hookId: z.optional(
    z.union([z.number().check(z.int(), z.positive()), z.string().check(z.regex(/^\d{1,19}$/))], {
      error: "must be the hook's id, a positive whole number",
    }),
  ),
  push: z.optional(z.boolean({ error: 'must be true or false (the push test instead of a ping)' })),
  baseUrl: z.optional(nonEmpty('e.g. https://api.github.com or https://HOST/api/v3')),
  apiVersion: z.optional(nonEmpty('e.g. 2022-11-28')),
})

/** The file's schema; `$schema` lets an editor find the published JSON Schema and is ignored. */
export const configSchema = strict({
  $schema: z.describe(
    z.optional(z.string()),
    'The JSON Schema of this file, for editors: ./node_modules/@notiprobe/cli/schemas/config.json',
  ),
  timeout: z.optional(duration),
  concurrency: z.optional(z.number().check(z.int('must be a whole number'), z.gte(1), z.lte(16))),
  apple: z.optional(appleSection),
  sailpoint: z.optional(sailPointSection),
  github: z.optional(gitHubSection),
})

export type AppleConfig = z.output<typeof appleSection>
export type SailPointConfig = z.output<typeof sailPointSection>
export type SailPointCheckConfig = z.output<typeof sailPointCheck>
export type GitHubConfig = z.output<typeof gitHubSection>

/** A checked config file, its durations in milliseconds and its paths absolute. */
export interface RunConfig {
  readonly file: string
  readonly timeoutMs?: number | undefined
  readonly concurrency?: number | undefined
  /** Undefined: from the environment if set there; false: never. */
  readonly apple?: AppleConfig | false
  readonly sailpoint?: SailPointConfig | false
  readonly github?: GitHubConfig | false
}

/** Reads and checks a config file; errors name the file and each field at fault. */
export async function loadRunConfig(io: Io, path: string): Promise<RunConfig> {
  const file = resolve(io.cwd, path)
  const text = await readTextFile(
    file,
    { field: '--config', vendor: 'notiprobe', operation: OPERATION },
    io.cwd,
    READ_LIMITS.config,
  )
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw usageError(`Config file ${file} is not valid JSON: ${(error as Error).message}`, {
      operation: OPERATION,
      kind: 'config',
    })
  }
  return parseRunConfig(json, file, io.env)
}

/**
 * Checks a parsed config file (exported for tests). Its paths are relative to the file's
 * directory; `~/` starts them at the home directory, from `env.HOME`.
 */
export function parseRunConfig(json: unknown, file: string, env: Env = {}): RunConfig {
  const fail = (why: string): never => {
    throw usageError(`Invalid config file ${file}: ${why}`, {
      operation: OPERATION,
      kind: 'config',
    })
  }
  const secrets = secretFields(json)
  if (secrets.length > 0) {
    fail(
      secrets
        .map(
          (field) =>
            `${field}: secrets are never read from the config file; ${SECRET_KEYS[field] ?? ''}`,
        )
        .join('; '),
    )
  }
  // `false` switches a vendor off; it is taken out before the sections are checked, so that a
  // section's errors name its fields rather than "not false either".
  const off = (vendor: Vendor): boolean =>
    isObject(json) && (json as Record<string, unknown>)[vendor] === false
  const input = isObject(json)
    ? Object.fromEntries(
        Object.entries(json).filter(
          ([key, value]) => !(value === false && (VENDORS as readonly string[]).includes(key)),
        ),
      )
    : json
  const parsed = z.safeParse(configSchema, input)
  if (!parsed.success) return fail(describeIssues(parsed.error.issues))
  const config = parsed.data
  if (VENDORS.every((vendor) => config[vendor] === undefined)) {
    const switchedOff = VENDORS.filter(off).map((vendor) => `"${vendor}": false`)
    fail(
      switchedOff.length === 0
        ? 'configure at least one vendor: "apple", "sailpoint" and/or "github"'
        : `nothing is enabled: the file switches off ${switchedOff.join(', ')} and gives no vendor a section; run checks only the vendors the file names, so give at least one of "apple", "sailpoint" or "github" its settings`,
    )
  }
  const dir = dirname(file)
  const path = (value: string): string => resolve(dir, withHome(value, env))
  return {
    file,
    timeoutMs: toMs(config.timeout),
    concurrency: config.concurrency,
    apple: off('apple') ? false : config.apple && resolveApple(config.apple, path),
    sailpoint: off('sailpoint')
      ? false
      : config.sailpoint && resolveSailPoint(config.sailpoint, path),
    github: off('github') ? false : config.github,
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

type ResolvePath = (value: string) => string

function resolveApple(apple: AppleConfig, path: ResolvePath): AppleConfig {
  return {
    ...apple,
    privateKeyFile: apple.privateKeyFile === undefined ? undefined : path(apple.privateKeyFile),
    rootCertificateFiles: apple.rootCertificateFiles?.map(path),
  }
}

function resolveSailPoint(sailpoint: SailPointConfig, path: ResolvePath): SailPointConfig {
  return {
    ...sailpoint,
    clientSecretFile:
      sailpoint.clientSecretFile === undefined ? undefined : path(sailpoint.clientSecretFile),
  }
}

/** A number is seconds, as on the command line. */
function toMs(duration: string | number | undefined): number | undefined {
  if (duration === undefined) return undefined
  return typeof duration === 'number' ? Math.round(duration * 1000) : parseDuration(duration)
}

function secretFields(json: unknown): string[] {
  if (typeof json !== 'object' || json === null) return []
  return Object.keys(SECRET_KEYS).filter((path) => {
    const [section, key] = path.split('.') as [string, string]
    const value = (json as Record<string, unknown>)[section]
    return typeof value === 'object' && value !== null && key in value
  })
}
