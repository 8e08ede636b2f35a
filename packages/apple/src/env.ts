import { NotificationTestError } from '@notiprobe/core'
import {
  checkBaseUrl,
  describeIssues,
  readEnv,
  withOverrides,
  type Env,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import type { AppleEnvironment } from './environment.js'
import { bundleIdSchema, expected, issuerIdSchema, keyIdSchema } from './fields.js'
import { LocalFileRefused, readLocalFile } from './local-file.js'
import type { AppleTesterOptions } from './options.js'
import { APPLE_OPERATIONS } from './operations.js'
import { loadPrivateKey } from './private-key.js'
import { checkTrustedRoots } from './trusted-roots.js'
import type { VerifySignedPayloadOptions } from './verify-signed-payload.js'

/** The variables `appleOptionsFromEnv` reads, by the option each one sets. */
export const APPLE_ENV = {
  issuerId: 'APPLE_ISSUER_ID',
  keyId: 'APPLE_KEY_ID',
  privateKey: 'APPLE_PRIVATE_KEY',
  privateKeyFile: 'APPLE_PRIVATE_KEY_FILE',
  bundleId: 'APPLE_BUNDLE_ID',
  environment: 'APPLE_ENVIRONMENT',
  appAppleId: 'APPLE_APP_APPLE_ID',
  baseUrl: 'APPLE_BASE_URL',
  rootCertificatesFile: 'APPLE_ROOT_CERTIFICATES_FILE',
} as const

const OPERATION = APPLE_OPERATIONS.fromEnv.name
const MAX_ROOTS_FILE_BYTES = 1024 * 1024

// Every variable optional here: which are required depends on what the caller overrides.
const envSchema = z.lazy(() =>
  z.object({
    APPLE_ISSUER_ID: z.optional(issuerIdSchema),
    APPLE_KEY_ID: z.optional(keyIdSchema),
    APPLE_PRIVATE_KEY: z.optional(z.string()),
    APPLE_PRIVATE_KEY_FILE: z.optional(z.string()),
    APPLE_BUNDLE_ID: z.optional(bundleIdSchema),
    APPLE_ENVIRONMENT: z.optional(
      z.pipe(
        z.pipe(
          z.pipe(
            z.string(),
            z.transform((value) => value.toLowerCase()),
          ),
          z.enum(['sandbox', 'production'], expected('Sandbox or Production')),
        ),
        z.transform((value): AppleEnvironment =>
          value === 'production' ? 'Production' : 'Sandbox',
        ),
      ),
    ),
    APPLE_APP_APPLE_ID: z.optional(
      z.pipe(
        z.string().check(
          z.regex(/^\d{1,15}$/, {
            error: "expected the app's Apple ID, a number such as 1234567890",
          }),
        ),
        z.transform(Number),
      ),
    ),
    APPLE_BASE_URL: z.optional(z.string()),
    APPLE_ROOT_CERTIFICATES_FILE: z.optional(z.string()),
  }),
)

/**
 * Reads Apple tester options from environment variables: `APPLE_ISSUER_ID`, `APPLE_KEY_ID`,
 * `APPLE_PRIVATE_KEY` (PEM text) or `APPLE_PRIVATE_KEY_FILE` (path of the `.p8`), `APPLE_BUNDLE_ID`,
 * `APPLE_ENVIRONMENT` (`Sandbox` by default, any case), `APPLE_APP_APPLE_ID` (required in
 * Production), and optionally `APPLE_BASE_URL` and `APPLE_ROOT_CERTIFICATES_FILE` (PEM roots that
 * replace Apple's, e.g. the simulator's). `overrides` win over the environment. Errors name the
 * variable; the key is loaded here, so a bad one is reported against its variable too.
 */
export function appleOptionsFromEnv(
  env: Env = process.env,
  overrides: Partial<AppleTesterOptions> = {},
): AppleTesterOptions {
  const vars = readAppleEnv(env)
  const given = (option: keyof AppleTesterOptions): boolean => overrides[option] !== undefined

  const missing: string[] = []
  const required = (option: keyof AppleTesterOptions, name: string, what: string): void => {
    if (!given(option) && vars[name as keyof typeof vars] === undefined)
      missing.push(`${name}: is required (${what})`)
  }
  required('issuerId', APPLE_ENV.issuerId, 'the issuer id from App Store Connect')
  required('keyId', APPLE_ENV.keyId, 'the id of the In-App Purchase key')
  required('bundleId', APPLE_ENV.bundleId, "the app's bundle id")
  if (!given('privateKey')) {
    if (vars.APPLE_PRIVATE_KEY !== undefined && vars.APPLE_PRIVATE_KEY_FILE !== undefined) {
      missing.push('APPLE_PRIVATE_KEY, APPLE_PRIVATE_KEY_FILE: set one of them, not both')
    } else if (vars.APPLE_PRIVATE_KEY === undefined && vars.APPLE_PRIVATE_KEY_FILE === undefined) {
      missing.push(
        'APPLE_PRIVATE_KEY or APPLE_PRIVATE_KEY_FILE: is required (the .p8 key as PEM text, or the path of the .p8 file)',
      )
    }
  }
  const environment = overrides.environment ?? vars.APPLE_ENVIRONMENT ?? 'Sandbox'
  if (
    environment === 'Production' &&
    !given('appAppleId') &&
    vars.APPLE_APP_APPLE_ID === undefined
  ) {
    missing.push(
      "APPLE_APP_APPLE_ID: is required when APPLE_ENVIRONMENT is Production (Production notifications are verified against the app's Apple ID)",
    )
  }
  if (missing.length > 0)
    throw configError(`Incomplete Apple settings in the environment: ${missing.join('; ')}`)

  const fromEnv: Partial<AppleTesterOptions> = {
    issuerId: vars.APPLE_ISSUER_ID,
    keyId: vars.APPLE_KEY_ID,
    bundleId: vars.APPLE_BUNDLE_ID,
    environment,
    appAppleId: vars.APPLE_APP_APPLE_ID,
    ...(given('privateKey') ? {} : { privateKey: envKey(vars) }),
    ...(given('baseUrl') || vars.APPLE_BASE_URL === undefined
      ? {}
      : {
          baseUrl: checkBaseUrl(vars.APPLE_BASE_URL, {
            vendor: 'apple',
            operation: OPERATION,
            field: APPLE_ENV.baseUrl,
          }),
        }),
    ...(given('rootCertificates') || vars.APPLE_ROOT_CERTIFICATES_FILE === undefined
      ? {}
      : { rootCertificates: [readRoots(vars.APPLE_ROOT_CERTIFICATES_FILE)] }),
  }
  return withOverrides(fromEnv, overrides)
}

/**
 * What verifying a signed payload needs, from the environment: `APPLE_BUNDLE_ID`,
 * `APPLE_ENVIRONMENT` (`Sandbox` by default), `APPLE_APP_APPLE_ID` (required in Production) and
 * optionally `APPLE_ROOT_CERTIFICATES_FILE`; `overrides` (command-line flags) win. No key is needed.
 */
export function appleVerificationOptionsFromEnv(
  env: Env = process.env,
  overrides: Partial<VerifySignedPayloadOptions> = {},
): VerifySignedPayloadOptions {
  const vars = readAppleEnv(env)
  const bundleId = overrides.bundleId ?? vars.APPLE_BUNDLE_ID
  const environment = overrides.environment ?? vars.APPLE_ENVIRONMENT ?? 'Sandbox'
  const appAppleId = overrides.appAppleId ?? vars.APPLE_APP_APPLE_ID
  const missing: string[] = []
  if (bundleId === undefined) {
    missing.push(`${APPLE_ENV.bundleId}: is required (the app's bundle id the payload must be for)`)
  }
  if (environment === 'Production' && appAppleId === undefined) {
    missing.push(
      `${APPLE_ENV.appAppleId}: is required when the environment is Production (Production notifications are verified against the app's Apple ID)`,
    )
  }
  if (bundleId === undefined || missing.length > 0)
    throw configError(`Incomplete Apple settings in the environment: ${missing.join('; ')}`)
  const rootsFile = vars.APPLE_ROOT_CERTIFICATES_FILE
  const rootCertificates =
    overrides.rootCertificates ?? (rootsFile === undefined ? undefined : [readRoots(rootsFile)])
  return { bundleId, environment, appAppleId, rootCertificates }
}

/** The variables, trimmed and checked; errors name the variable. */
function readAppleEnv(env: Env): z.output<typeof envSchema> {
  const present = Object.fromEntries(
    Object.entries(readEnv(env, APPLE_ENV, { vendor: 'apple', operation: OPERATION })).map(
      ([name, value]) => [name, value?.trim()],
    ),
  )
  const parsed = z.safeParse(envSchema, present)
  if (!parsed.success) {
    throw configError(
      `Invalid Apple settings in the environment: ${describeIssues(parsed.error.issues)}`,
    )
  }
  return parsed.data
}

function envKey(vars: z.output<typeof envSchema>): AppleTesterOptions['privateKey'] {
  if (vars.APPLE_PRIVATE_KEY_FILE !== undefined) {
    return loadPrivateKey(vars.APPLE_PRIVATE_KEY_FILE, {
      field: APPLE_ENV.privateKeyFile,
      operation: OPERATION,
      source: 'file',
    })
  }
  return loadPrivateKey(vars.APPLE_PRIVATE_KEY ?? '', {
    field: APPLE_ENV.privateKey,
    operation: OPERATION,
  })
}

function readRoots(path: string): string {
  const field = APPLE_ENV.rootCertificatesFile
  let text: string
  try {
    text = readLocalFile(path, MAX_ROOTS_FILE_BYTES)
  } catch (error) {
    if (error instanceof LocalFileRefused) {
      throw configError(
        error.problem === 'too large'
          ? `${field}: ${path} is larger than ${MAX_ROOTS_FILE_BYTES / 1024 / 1024} MiB, too large for a certificate file`
          : `${field}: ${path} is not a regular file (a pipe or a device); give the path of a PEM file`,
      )
    }
    const code = (error as { code?: unknown }).code
    throw configError(
      `${field}: cannot read ${path} (${typeof code === 'string' ? code : 'unreadable'})`,
    )
  }
  checkTrustedRoots([text], { operation: OPERATION, kind: 'config', field })
  return text
}

function configError(message: string): NotificationTestError {
  return new NotificationTestError({
    vendor: 'apple',
    operation: OPERATION,
    kind: 'config',
    message,
  })
}
