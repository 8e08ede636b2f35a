import type {
  SailPointApiVersion,
  SailPointTester,
  SailPointTesterOptions,
} from '@notiprobe/sailpoint'
import type { CommandContext } from '../context.js'
import { usageError } from '../errors.js'
import { readSecretFile } from '../secrets.js'

/** Settings the command line may override; never the secret. */
export interface SailPointOverrides {
  readonly baseUrl?: string | undefined
  readonly apiVersion?: SailPointApiVersion | undefined
  readonly timeoutMs?: number | undefined
  /** From a config file: values that win over the environment. */
  readonly fromConfig?: Partial<
    Pick<SailPointTesterOptions, 'tenant' | 'baseUrl' | 'clientId' | 'apiVersion' | 'tokenUrl'>
  > & { readonly clientSecretFile?: string | undefined }
}

/**
 * A SailPoint tester from the environment (`SAIL_*`), a config file's section and the command
 * line, in rising order of precedence. The secret comes from `SAIL_CLIENT_SECRET`, or from the
 * file (or `-`, standard input) that `SAIL_CLIENT_SECRET_FILE` or the config file names.
 */
export async function sailPointTester(
  context: CommandContext,
  overrides: SailPointOverrides,
): Promise<SailPointTester> {
  const { createSailPointTester, sailPointOptionsFromEnv } = await import('@notiprobe/sailpoint')
  const { env } = context.io
  const config = overrides.fromConfig ?? {}
  const tenant = nonEmpty(env.SAIL_TENANT)
  if (tenant !== undefined && /[:/.]/.test(tenant) && overrides.baseUrl === undefined) {
    throw usageError(
      `SAIL_TENANT is the tenant's name (acme for https://acme.api.identitynow.com), not a URL or host: set SAIL_BASE_URL=${tenant.includes('://') ? tenant : `https://${tenant}`} instead, and unset SAIL_TENANT.`,
      { vendor: 'sailpoint', operation: context.operation, kind: 'config' },
    )
  }
  const secretFile = config.clientSecretFile ?? nonEmpty(env.SAIL_CLIENT_SECRET_FILE)
  if (
    nonEmpty(env.SAIL_CLIENT_SECRET) !== undefined &&
    nonEmpty(env.SAIL_CLIENT_SECRET_FILE) !== undefined
  ) {
    throw usageError('Set SAIL_CLIENT_SECRET or SAIL_CLIENT_SECRET_FILE, not both.', {
      vendor: 'sailpoint',
      operation: context.operation,
      kind: 'config',
    })
  }
  const clientSecret =
    secretFile === undefined
      ? undefined
      : await readSecretFile(context.io, secretFile, {
          field:
            config.clientSecretFile === undefined
              ? 'SAIL_CLIENT_SECRET_FILE'
              : 'sailpoint.clientSecretFile',
          vendor: 'sailpoint',
          operation: context.operation,
        })
  const { clientSecretFile: _file, ...fromConfig } = config
  const host = overrides.baseUrl ?? fromConfig.baseUrl
  const options: Partial<SailPointTesterOptions> = definedOnly({
    ...fromConfig,
    ...(host === undefined ? {} : { baseUrl: host, tenant: undefined }),
    clientSecret,
    apiVersion: overrides.apiVersion ?? fromConfig.apiVersion,
    timeoutMs: overrides.timeoutMs,
    proxy: context.proxy,
    onEvent: context.onEvent,
  })
  return createSailPointTester(sailPointOptionsFromEnv(env, options))
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
