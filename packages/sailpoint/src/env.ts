import { resolveOptions, type OptionNames, type SailPointTesterOptions } from './options.js'
import { testerFromResolved, type SailPointTester } from './tester.js'

/**
 * The environment variables `createSailPointTesterFromEnv` reads. The first three follow
 * SailPoint's own SDKs and CLI, so one set of settings serves both.
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

/**
 * A SailPoint tester from `SAIL_BASE_URL` or `SAIL_TENANT`, `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`
 * and optionally `SAIL_TOKEN_URL` and `SAIL_API_VERSION`. Errors name the variable at fault. An
 * empty variable counts as unset. `overrides` win over the environment; overriding `tenant` or
 * `baseUrl` (a `--base-url` flag) replaces the environment's host and token URL together, so the
 * secret never goes to a token URL meant for another host.
 */
export function createSailPointTesterFromEnv(
  overrides: Partial<SailPointTesterOptions> = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): SailPointTester {
  const hostOverridden = overrides.tenant !== undefined || overrides.baseUrl !== undefined
  const fromEnv: Record<string, string> = {}
  const names: Partial<Record<EnvField, string>> = {}
  for (const [field, variable] of Object.entries(SAILPOINT_ENV) as [EnvField, string][]) {
    const value = env[variable]
    if (value === undefined || value === '') continue
    if (hostOverridden && (field === 'tenant' || field === 'baseUrl' || field === 'tokenUrl'))
      continue
    if (overrides[field] !== undefined) continue
    fromEnv[field] = value
    names[field] = variable
  }
  // Missing required settings are named by their variable, since that is where they belong.
  const required = hostOverridden
    ? (['clientId', 'clientSecret'] as const)
    : (['clientId', 'clientSecret', 'tenant', 'baseUrl'] as const)
  for (const field of required) {
    if (overrides[field] === undefined) names[field] ??= SAILPOINT_ENV[field]
  }
  const options: OptionNames = names
  return testerFromResolved(
    resolveOptions({ ...fromEnv, ...overrides }, options, 'SailPoint settings'),
  )
}
