import type { AppleEnvironment, AppleTester, AppleTesterOptions } from '@notiprobe/apple'
import type { CommandContext } from '../context.js'
import { usageError } from '../errors.js'
import { readSecretFile, readTextFile } from '../secrets.js'

/** What the command line or a config file may set; the key only as a file. */
export interface AppleOverrides {
  readonly baseUrl?: string | undefined
  /** PEM files of trusted roots (`--root-cert`), replacing Apple's. */
  readonly rootCertFiles?: readonly string[] | undefined
  readonly timeoutMs?: number | undefined
  readonly fromConfig?:
    | (Partial<
        Pick<
          AppleTesterOptions,
          'issuerId' | 'keyId' | 'bundleId' | 'environment' | 'appAppleId' | 'baseUrl'
        >
      > & {
        readonly privateKeyFile?: string | undefined
        readonly rootCertificateFiles?: readonly string[] | undefined
      })
    | undefined
}

/**
 * An Apple tester from the environment (`APPLE_*`, read by the adapter, whose errors name each
 * variable), a config file's section and the command line, in rising order of precedence.
 * `APPLE_PRIVATE_KEY_FILE=-` reads the key from standard input.
 */
export async function appleTester(
  context: CommandContext,
  overrides: AppleOverrides,
): Promise<AppleTester> {
  const { appleOptionsFromEnv, createAppleTester } = await import('@notiprobe/apple')
  const { env } = context.io
  const config = overrides.fromConfig ?? {}
  const keyFile = config.privateKeyFile ?? (env.APPLE_PRIVATE_KEY_FILE === '-' ? '-' : undefined)
  const privateKey =
    keyFile === undefined
      ? undefined
      : await readSecretFile(context.io, keyFile, {
          field:
            config.privateKeyFile === undefined ? 'APPLE_PRIVATE_KEY_FILE' : 'apple.privateKeyFile',
          vendor: 'apple',
          operation: context.operation,
        })
  const rootCertificates = await readRootCertificates(
    context,
    overrides.rootCertFiles ?? config.rootCertificateFiles,
    overrides.rootCertFiles === undefined ? 'apple.rootCertificateFiles' : '--root-cert',
  )
  const { privateKeyFile: _k, rootCertificateFiles: _r, ...settings } = config
  const options = appleOptionsFromEnv(
    env,
    definedOnly({
      ...settings,
      privateKey,
      rootCertificates,
      baseUrl: overrides.baseUrl ?? settings.baseUrl,
      timeoutMs: overrides.timeoutMs,
      proxy: context.proxy,
    }),
  )
  return createAppleTester(options)
}

/** The app a signed payload must be for, and whom to trust: what `verify` and `listen` need. */
export interface VerificationSettings {
  readonly bundleId: string
  readonly environment: AppleEnvironment
  readonly appAppleId?: number | undefined
  readonly rootCertificates?: readonly string[] | undefined
}

export interface VerificationFlags {
  readonly bundleId?: string | undefined
  readonly environment?: AppleEnvironment | undefined
  readonly appAppleId?: number | undefined
  readonly rootCert?: readonly string[] | undefined
}

/**
 * Verification settings from flags, else `APPLE_BUNDLE_ID`, `APPLE_ENVIRONMENT` (Sandbox by
 * default), `APPLE_APP_APPLE_ID` and `APPLE_ROOT_CERTIFICATES_FILE`. No key is needed to verify.
 */
export async function verificationSettings(
  context: CommandContext,
  flags: VerificationFlags,
): Promise<VerificationSettings> {
  const { env } = context.io
  const fail = (message: string): never => {
    throw usageError(message, { vendor: 'apple', operation: context.operation, kind: 'config' })
  }
  const bundleId = flags.bundleId ?? nonEmpty(env.APPLE_BUNDLE_ID)
  if (bundleId === undefined) {
    return fail(
      "Give the app's bundle id the payload must be for: --bundle-id com.example.app, or set APPLE_BUNDLE_ID.",
    )
  }
  let environment = flags.environment
  if (environment === undefined) {
    const variable = nonEmpty(env.APPLE_ENVIRONMENT)?.toLowerCase()
    if (variable !== undefined && variable !== 'sandbox' && variable !== 'production') {
      return fail('APPLE_ENVIRONMENT: expected Sandbox or Production.')
    }
    environment = variable === 'production' ? 'Production' : 'Sandbox'
  }
  let appAppleId = flags.appAppleId
  const idVariable = nonEmpty(env.APPLE_APP_APPLE_ID)
  if (appAppleId === undefined && idVariable !== undefined) {
    if (!/^\d{1,15}$/.test(idVariable)) {
      return fail("APPLE_APP_APPLE_ID: expected the app's Apple ID, a number such as 1234567890.")
    }
    appAppleId = Number(idVariable)
  }
  if (environment === 'Production' && appAppleId === undefined) {
    return fail(
      "Production notifications are verified against the app's Apple ID: pass --app-apple-id or set APPLE_APP_APPLE_ID.",
    )
  }
  const rootFile = nonEmpty(env.APPLE_ROOT_CERTIFICATES_FILE)
  const rootCertificates =
    flags.rootCert !== undefined
      ? await readRootCertificates(context, flags.rootCert, '--root-cert')
      : rootFile === undefined
        ? undefined
        : await readRootCertificates(context, [rootFile], 'APPLE_ROOT_CERTIFICATES_FILE')
  return { bundleId, environment, appAppleId, rootCertificates }
}

async function readRootCertificates(
  context: CommandContext,
  files: readonly string[] | undefined,
  field: string,
): Promise<string[] | undefined> {
  if (files === undefined) return undefined
  return Promise.all(
    files.map((file) =>
      readTextFile(file, { field, vendor: 'apple', operation: context.operation }, context.io.cwd),
    ),
  )
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
