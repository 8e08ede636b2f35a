import { readEnv, withOverrides, type Env } from '@notiprobe/core/adapter'
import { SAILPOINT_OPERATIONS, VENDOR } from './constants.js'
import { resolveOptions, type OptionNames, type SailPointTesterOptions } from './options.js'

/**
 * The environment variables `sailPointOptionsFromEnv` reads, by the option each one sets. The
 * first three follow SailPoint's own SDKs and CLI, so one set of settings serves both.
 */
export const SAILPOINT_ENV = {
  baseUrl: 'SAIL_BASE_URL',
  tenant: 'SAIL_TENANT',
  clientId: 'SAIL_CLIENT_ID',
  clientSecret: 'SAIL_CLIENT_SECRET',
  tokenUrl: 'SAIL_TOKEN_URL',
  apiVersion: 'SAIL_API_VERSION',
} as const

type EnvField = keyof typeof SAILPOINT_ENV

/** Options that say where the tenant is: overriding one replaces all of them from the environment. */
const HOST_FIELDS: readonly EnvField[] = ['tenant', 'baseUrl', 'tokenUrl']

/**
 * SailPoint tester options from `SAIL_BASE_URL` or `SAIL_TENANT`, `SAIL_CLIENT_ID`,
 * `SAIL_CLIENT_SECRET` and optionally `SAIL_TOKEN_URL` and `SAIL_API_VERSION`; `overrides` win.
 * Overriding `tenant` or `baseUrl` (a `--base-url` flag) replaces the environment's host and token
 * URL together, so the secret never goes to a token URL meant for another host. The options are
 * checked here, and each problem is named by the variable it came from (or the override's field).
 */
export function sailPointOptionsFromEnv(
  env: Env = process.env,
  overrides: Partial<SailPointTesterOptions> = {},
): SailPointTesterOptions {
  const hostOverridden = overrides.tenant !== undefined || overrides.baseUrl !== undefined
  const present = readEnv(env, SAILPOINT_ENV, {
    vendor: VENDOR,
    operation: SAILPOINT_OPERATIONS.configure.name,
  })
  const fromEnv: Partial<Record<EnvField, string>> = {}
  const names: Partial<Record<EnvField, string>> = {}
  for (const [field, variable] of Object.entries(SAILPOINT_ENV) as [EnvField, string][]) {
    const value = present[variable as keyof typeof present]
    if (value === undefined || overrides[field] !== undefined) continue
    if (hostOverridden && HOST_FIELDS.includes(field)) continue
    // Enum values are case-insensitive, as APPLE_ENVIRONMENT's are: V1 is v1.
    fromEnv[field] = field === 'apiVersion' ? value.trim().toLowerCase() : value
    names[field] = variable
  }
  // Missing required settings are named by their variable, since that is where they belong.
  const required: readonly EnvField[] = hostOverridden
    ? ['clientId', 'clientSecret']
    : ['clientId', 'clientSecret', 'tenant', 'baseUrl']
  for (const field of required) {
    if (overrides[field] === undefined) names[field] ??= SAILPOINT_ENV[field]
  }
  const options = withOverrides<SailPointTesterOptions>(
    fromEnv as Partial<SailPointTesterOptions>,
    overrides,
  )
  resolveOptions(options, names satisfies OptionNames, 'SailPoint settings')
  return options
}
