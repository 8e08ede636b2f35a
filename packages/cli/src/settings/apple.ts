import type {
  AppleEnvironment,
  AppleTester,
  AppleTesterOptions,
  VerifySignedPayloadOptions,
} from '@notiprobe/apple'
import { isNotificationTestError } from '@notiprobe/core'
import { withMessage } from '@notiprobe/core/adapter'
import type { CommandContext } from '../context.js'
import { usageError } from '../errors.js'
import { READ_LIMITS, readSecretFile, readTextFile } from '../secrets.js'

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
      onEvent: context.onEvent,
    }),
  )
  return createAppleTester(options)
}

/** The app a signed payload must be for, and whom to trust: what `verify` and `listen` need. */
export type VerificationSettings = VerifySignedPayloadOptions

export interface VerificationFlags {
  readonly bundleId?: string | undefined
  readonly environment?: AppleEnvironment | undefined
  readonly appAppleId?: number | undefined
  readonly rootCert?: readonly string[] | undefined
}

/**
 * Verification settings from flags, else what the Apple adapter reads from the environment
 * (`APPLE_BUNDLE_ID`, `APPLE_ENVIRONMENT`, `APPLE_APP_APPLE_ID`, `APPLE_ROOT_CERTIFICATES_FILE`),
 * with its rules (Sandbox by default, the app's Apple ID required in Production). No key is needed.
 */
export async function verificationSettings(
  context: CommandContext,
  flags: VerificationFlags,
): Promise<VerificationSettings> {
  const { appleVerificationOptionsFromEnv } = await import('@notiprobe/apple')
  if (flags.bundleId === undefined && (context.io.env.APPLE_BUNDLE_ID ?? '').trim() === '') {
    throw usageError(
      "Give the app's bundle id the payload must be for: --bundle-id com.example.app, or set APPLE_BUNDLE_ID.",
      { vendor: 'apple', operation: context.operation, kind: 'config' },
    )
  }
  const rootCertificates =
    flags.rootCert === undefined
      ? undefined
      : await readRootCertificates(context, flags.rootCert, '--root-cert')
  try {
    return appleVerificationOptionsFromEnv(
      context.io.env,
      definedOnly({
        bundleId: flags.bundleId,
        environment: flags.environment,
        appAppleId: flags.appAppleId,
        rootCertificates,
      }),
    )
  } catch (error) {
    // The adapter names the variables; on the command line the same settings are flags.
    if (!isNotificationTestError(error) || error.kind !== 'config') throw error
    throw withMessage(
      error,
      `${error.message}. On the command line: --bundle-id, --environment, --app-apple-id, --root-cert.`,
    )
  }
}

async function readRootCertificates(
  context: CommandContext,
  files: readonly string[] | undefined,
  field: string,
): Promise<string[] | undefined> {
  if (files === undefined) return undefined
  return Promise.all(
    files.map((file) =>
      readTextFile(
        file,
        { field, vendor: 'apple', operation: context.operation },
        context.io.cwd,
        READ_LIMITS.certificates,
      ),
    ),
  )
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
