import type { AppleEnvironment, AppleNotificationPayload } from '@notiprobe/apple'
import { isNotificationTestError } from '@notiprobe/core'
import type { z } from '@notiprobe/core/zod'
import type { CommandContext, CommonOptions } from '../context.js'
import { describeFailure, usageError, type ErrorJSON } from '../errors.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import type { appleVerification } from '../output/documents.js'
import { visible } from '../output/terminal-text.js'
import { READ_LIMITS, readStdin, readTextFile } from '../secrets.js'
import { verificationSettings, type VerificationSettings } from '../settings/apple.js'
import { notificationFacts } from './apple-format.js'
import {
  EXPECTED_VERIFY_INPUT,
  payloadsIn,
  UnreadableInput,
  type PayloadItem,
} from './apple-verify-input.js'
import { printFacts } from './shared.js'

export interface AppleVerifyOptions extends CommonOptions {
  readonly bundleId?: string
  readonly environment?: AppleEnvironment
  readonly appAppleId?: number
  readonly rootCert?: string[]
}

type Verification = Omit<z.input<typeof appleVerification>, 'schemaVersion'>

/**
 * `notiprobe apple verify [file|-]`: every signed payload the input holds (see
 * `apple-verify-input.ts` for the shapes read), verified as Apple's own verifier does. One payload
 * that fails is an error, as before; several are each reported, and any failure is exit 1.
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
      ? await readStdin(context.io, READ_LIMITS.verifyInput)
      : await readTextFile(
          source,
          { field: 'file', vendor: 'apple', operation: context.operation },
          context.io.cwd,
          READ_LIMITS.verifyInput,
        )
  let items: PayloadItem[]
  try {
    items = payloadsIn(text, source)
  } catch (error) {
    if (!(error instanceof UnreadableInput)) throw error
    throw usageError(`${error.message} ${EXPECTED_VERIFY_INPUT}`, {
      vendor: 'apple',
      operation: context.operation,
    })
  }
  const settings = await verificationSettings(context, {
    bundleId: options.bundleId,
    environment: options.environment,
    appAppleId: options.appAppleId,
    rootCert: options.rootCert,
  })
  const { verifySignedPayload } = await import('@notiprobe/apple')
  const only = items.length === 1 ? items[0] : undefined
  if (only !== undefined && 'signedPayload' in only) {
    // One payload: a failure is the command's error, with its kind and exit code.
    const notification = await verifySignedPayload(only.signedPayload, settings)
    report(context, settings, { ok: true, verified: true, source: only.source, notification })
    return EXIT.ok
  }
  let failed = 0
  for (const item of items) {
    const verification = await verifyItem(context, item, settings, verifySignedPayload)
    if (!verification.verified) failed++
    report(context, settings, verification, true)
  }
  if (!output.json) {
    const verified = items.length - failed
    output.print(
      failed === 0
        ? `${output.color.green('✔')} All ${items.length} signed payloads verified.`
        : `${output.color.red('✖')} ${verified} of ${items.length} signed payloads verified; ${failed} did not.`,
    )
  }
  return failed === 0 ? EXIT.ok : EXIT.failed
}

async function verifyItem(
  context: CommandContext,
  item: PayloadItem,
  settings: VerificationSettings,
  verify: (jws: string, settings: VerificationSettings) => Promise<AppleNotificationPayload>,
): Promise<Verification> {
  if ('refused' in item) {
    const error = describeFailure(
      usageError(`${item.source}: ${item.refused}`, {
        vendor: 'apple',
        operation: context.operation,
      }),
      context.operation,
    ).json
    return { ok: false, verified: false, source: item.source, error }
  }
  try {
    const notification = await verify(item.signedPayload, settings)
    return { ok: true, verified: true, source: item.source, notification }
  } catch (error) {
    // A payload that does not verify is this line's result; anything else stops the command.
    if (!isNotificationTestError(error) || !['verification', 'invalid_input'].includes(error.kind))
      throw error
    const json: ErrorJSON = describeFailure(error, context.operation).json
    return { ok: false, verified: false, source: item.source, error: json }
  }
}

function report(
  context: CommandContext,
  settings: VerificationSettings,
  verification: Verification,
  several = false,
): void {
  const { output } = context
  if (output.json) {
    output.emit(verification)
    return
  }
  const c = output.color
  const n = verification.notification as AppleNotificationPayload | undefined
  if (!several && n !== undefined) {
    output.print(
      `${c.green('✔')} Verified: signed by ${settings.rootCertificates === undefined ? 'Apple (Apple Root CA - G3)' : 'the root given'}, for ${settings.bundleId} in ${settings.environment}`,
    )
    printFacts(output, notificationFacts(n))
    return
  }
  if (n !== undefined) {
    output.print(
      `${c.green('✔')} ${visible(verification.source)}: ${visible(`${n.notificationType}${n.subtype === undefined ? '' : `/${n.subtype}`} ${n.notificationUUID}`)} verified`,
    )
    return
  }
  const error = verification.error
  output.print(
    `${c.red('✖')} ${visible(verification.source)}: ${visible(error?.message ?? 'not verified')}${error === undefined ? '' : `\n  ${c.dim('what to do')} ${visible(error.hint)}`}`,
  )
}
