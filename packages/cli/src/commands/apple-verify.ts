import type { AppleEnvironment } from '@notiprobe/apple'
import type { CommandContext, CommonOptions } from '../context.js'
import { usageError } from '../errors.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { READ_LIMITS, readStdin, readTextFile } from '../secrets.js'
import { verificationSettings } from '../settings/apple.js'
import { notificationFacts } from './apple-format.js'
import { printFacts } from './shared.js'

export interface AppleVerifyOptions extends CommonOptions {
  readonly bundleId?: string
  readonly environment?: AppleEnvironment
  readonly appAppleId?: number
  readonly rootCert?: string[]
}

/**
 * `notiprobe apple verify [file|-]`: a signed payload, or any JSON holding one as `signedPayload`
 * (a notification body, a status or history record), verified as Apple's own verifier does.
 */
export async function runAppleVerify(
  context: CommandContext,
  file: string | undefined,
  options: AppleVerifyOptions,
): Promise<ExitCode> {
  const { output } = context
  const source = file === undefined || file === '-' ? 'standard input' : file
  const text =
    source === 'standard input'
      ? await readStdin(context.io, READ_LIMITS.notification)
      : await readTextFile(
          source,
          { field: 'file', vendor: 'apple', operation: context.operation },
          context.io.cwd,
          READ_LIMITS.notification,
        )
  const jws = signedPayloadOf(context, text, source)
  const settings = await verificationSettings(context, {
    bundleId: options.bundleId,
    environment: options.environment,
    appAppleId: options.appAppleId,
    rootCert: options.rootCert,
  })
  const { verifySignedPayload } = await import('@notiprobe/apple')
  const notification = await verifySignedPayload(jws, settings)
  if (output.json) {
    output.emit({ ok: true, verified: true, notification })
  } else {
    output.print(
      `${output.color.green('✔')} Verified: signed by ${settings.rootCertificates === undefined ? 'Apple (Apple Root CA - G3)' : 'the root given'}, for ${settings.bundleId} in ${settings.environment}`,
    )
    printFacts(output, notificationFacts(notification))
  }
  return EXIT.ok
}

/** The JWS itself, or the `signedPayload` of a JSON body. */
function signedPayloadOf(context: CommandContext, text: string, source: string): string {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    let json: unknown
    try {
      json = JSON.parse(trimmed)
    } catch {
      throw invalid(context, `${source} starts like JSON but is not valid JSON.`)
    }
    const payload = (json as { signedPayload?: unknown }).signedPayload
    if (typeof payload !== 'string') {
      throw invalid(context, `${source} is JSON without a "signedPayload" string.`)
    }
    return payload.trim()
  }
  if (trimmed === '') throw invalid(context, `${source} is empty.`)
  return trimmed
}

function invalid(context: CommandContext, why: string): Error {
  return usageError(
    `${why} Expected a signedPayload (a JWS: xxx.yyy.zzz) or {"signedPayload": "..."}.`,
    {
      vendor: 'apple',
      operation: context.operation,
    },
  )
}
