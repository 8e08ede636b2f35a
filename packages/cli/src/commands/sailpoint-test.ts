import { isNotificationTestError } from '@notiprobe/core'
import { withMessage } from '@notiprobe/core/adapter'
import type { SailPointApiVersion, SailPointMedium } from '@notiprobe/sailpoint'
import type { CommandContext, CommonOptions } from '../context.js'
import type { ExitCode } from '../exit-codes.js'
import { emitResult, outcomeResult } from '../output/result.js'
import { sailPointTester } from '../settings/sailpoint.js'
import {
  exitCodeForOutcome,
  isoTime,
  printFacts,
  printWarnings,
  readJsonObjectOption,
  stateLabel,
} from './shared.js'

export interface SailPointTestOptions extends CommonOptions {
  readonly key: string
  readonly medium: SailPointMedium
  readonly context?: string
  readonly locale?: string
  readonly recipient?: string[]
  readonly preflight: boolean
  readonly apiVersion?: SailPointApiVersion
  readonly baseUrl?: string
}

/** `notiprobe sailpoint test`: one send-test request; 204 is `accepted`, which is all SailPoint says. */
export async function runSailPointTest(
  context: CommandContext,
  options: SailPointTestOptions,
): Promise<ExitCode> {
  const { output } = context
  const startedAt = context.io.now()
  const templateContext =
    options.context === undefined
      ? undefined
      : await readJsonObjectOption(context, '--context', options.context, 'sailpoint')
  const tester = await sailPointTester(context, {
    baseUrl: options.baseUrl,
    apiVersion: options.apiVersion,
    timeoutMs: options.timeout,
  })
  const progress = await output.progress(
    `Asking SailPoint (${tester.apiVersion}) to send ${options.key} by ${options.medium}`,
  )
  try {
    const ticket = await tester.send({
      key: options.key,
      medium: options.medium,
      context: templateContext,
      locale: options.locale,
      recipients: options.recipient,
      preflight: options.preflight,
      signal: context.signal,
      timeoutMs: options.timeout,
    })
    const outcome = await tester.check(ticket, { signal: context.signal })
    progress.succeed(`SailPoint ${stateLabel(output, outcome.state)} the test notification`)
    if (output.json) {
      const check = `${options.key} ${options.medium}`
      emitResult(
        output,
        outcomeResult(
          { name: `sailpoint ${check}`, check, startedAt, endedAt: context.io.now() },
          outcome,
        ),
      )
    } else {
      const d = ticket.details
      printFacts(output, [
        ['template', `${d.key} (${d.medium}${d.locale === undefined ? '' : `, ${d.locale}`})`],
        ['request', `${d.endpoint} on ${new URL(tester.baseUrl).host} → HTTP ${d.httpStatus}`],
        ['pre-flight', d.preflight ? 'template key and medium found' : 'skipped'],
        ['recipients', d.recipientCount],
        ['accepted at', isoTime(ticket.requestedAt)],
        ['state', `${stateLabel(output, outcome.state)}: ${outcome.summary}`],
      ])
      printWarnings(output, outcome.warnings)
    }
    return exitCodeForOutcome(outcome)
  } catch (error) {
    progress.stop()
    throw preflightHint(error, options.preflight)
  } finally {
    tester.close()
  }
}

/** A pre-flight refused for its scopes can be skipped: say how. */
function preflightHint(error: unknown, preflight: boolean): unknown {
  if (
    preflight &&
    isNotificationTestError(error) &&
    error.kind === 'forbidden' &&
    error.operation === 'sailpoint.listTemplates'
  ) {
    return withMessage(
      error,
      `${error.message} The template check before the send needs this; pass --no-preflight to send without it.`,
    )
  }
  return error
}
