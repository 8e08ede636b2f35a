import { NotificationTestError, checkBaseUrl, describeIssues } from '@notiprobe/core'
import { z } from 'zod'
import type { AppleEnvironment } from './environment.js'
import { bundleIdSchema, expected, issuerIdSchema, keyIdSchema } from './fields.js'
import { LocalFileRefused, readLocalFile } from './local-file.js'
import type { AppleTesterOptions } from './options.js'
import { loadPrivateKey } from './private-key.js'
import { checkTrustedRoots } from './trusted-roots.js'

/** The variables `fromEnv` reads, by the option each one sets. */
export const APPLE_ENV_VARIABLES = {
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

const OPERATION = 'apple.fromEnv'
const MAX_ROOTS_FILE_BYTES = 1024 * 1024

// Every variable optional here: which are required depends on what the caller overrides.
const envSchema = z.object({
  APPLE_ISSUER_ID: issuerIdSchema.optional(),
  APPLE_KEY_ID: keyIdSchema.optional(),
  APPLE_PRIVATE_KEY: z.string().optional(),
  APPLE_PRIVATE_KEY_FILE: z.string().optional(),
  APPLE_BUNDLE_ID: bundleIdSchema.optional(),
  APPLE_ENVIRONMENT: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(['sandbox', 'production'], expected('Sandbox or Production')))
    .transform((value): AppleEnvironment => (value === 'production' ? 'Production' : 'Sandbox'))
    .optional(),
  APPLE_APP_APPLE_ID: z
    .string()
    .regex(/^\d{1,15}$/, { error: "expected the app's Apple ID, a number such as 1234567890" })
    .transform(Number)
    .optional(),
  APPLE_BASE_URL: z.string().optional(),
  APPLE_ROOT_CERTIFICATES_FILE: z.string().optional(),
})

/**
 * Reads Apple tester options from environment variables: `APPLE_ISSUER_ID`, `APPLE_KEY_ID`,
 * `APPLE_PRIVATE_KEY` (PEM text) or `APPLE_PRIVATE_KEY_FILE` (path of the `.p8`), `APPLE_BUNDLE_ID`,
 * `APPLE_ENVIRONMENT` (`Sandbox` by default, any case), `APPLE_APP_APPLE_ID` (required in
 * Production), and optionally `APPLE_BASE_URL` and `APPLE_ROOT_CERTIFICATES_FILE` (PEM roots that
 * replace Apple's, e.g. the simulator's). `overrides` win over the environment. Errors name the
 * variable; the key is loaded here, so a bad one is reported against its variable too.
 */
export function appleOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: Partial<AppleTesterOptions> = {},
): AppleTesterOptions {
  // An empty variable counts as unset, as shells and .env files often leave them.
  const present: Record<string, string> = {}
  for (const name of Object.values(APPLE_ENV_VARIABLES)) {
    const value = env[name]?.trim()
    if (value !== undefined && value !== '') present[name] = value
  }
  const parsed = envSchema.safeParse(present)
  if (!parsed.success)
    throw configError(`Invalid Apple settings in the environment: ${describeIssues(parsed.error)}`)
  const vars = parsed.data
  const given = (option: keyof AppleTesterOptions): boolean => overrides[option] !== undefined

  const missing: string[] = []
  const required = (option: keyof AppleTesterOptions, name: string, what: string): void => {
    if (!given(option) && vars[name as keyof typeof vars] === undefined)
      missing.push(`${name}: is required (${what})`)
  }
  required('issuerId', APPLE_ENV_VARIABLES.issuerId, 'the issuer id from App Store Connect')
  required('keyId', APPLE_ENV_VARIABLES.keyId, 'the id of the In-App Purchase key')
  required('bundleId', APPLE_ENV_VARIABLES.bundleId, "the app's bundle id")
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
            field: APPLE_ENV_VARIABLES.baseUrl,
          }),
        }),
    ...(given('rootCertificates') || vars.APPLE_ROOT_CERTIFICATES_FILE === undefined
      ? {}
      : { rootCertificates: [readRoots(vars.APPLE_ROOT_CERTIFICATES_FILE)] }),
  }
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  )
  return { ...fromEnv, ...defined } as AppleTesterOptions
}

function envKey(vars: z.output<typeof envSchema>): AppleTesterOptions['privateKey'] {
  if (vars.APPLE_PRIVATE_KEY_FILE !== undefined) {
    return loadPrivateKey(vars.APPLE_PRIVATE_KEY_FILE, {
      field: APPLE_ENV_VARIABLES.privateKeyFile,
      operation: OPERATION,
      source: 'file',
    })
  }
  return loadPrivateKey(vars.APPLE_PRIVATE_KEY ?? '', {
    field: APPLE_ENV_VARIABLES.privateKey,
    operation: OPERATION,
  })
}

function readRoots(path: string): string {
  const field = APPLE_ENV_VARIABLES.rootCertificatesFile
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
