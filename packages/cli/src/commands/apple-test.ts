import { runTest } from '@notiprobe/core'
import type { CommandContext, CommonOptions } from '../context.js'
import { formatDuration } from '../duration.js'
import { usageError } from '../errors.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { appleTester } from '../settings/apple.js'
import { emitResult, outcomeResult, sentResult } from '../output/result.js'
import { printAppleOutcome, waitLine } from './apple-format.js'
import { exitCodeForOutcome, isoTime, printFacts } from './shared.js'

export interface AppleTestOptions extends CommonOptions {
  readonly wait?: boolean
  readonly baseUrl?: string
  readonly rootCert?: string[]
}

/** Apple delivers within seconds, but may retry for a while: two minutes covers the usual case. */
const DEFAULT_WAIT_MS = 120_000

const CHECK = 'test notification'

/** `notiprobe apple test [--wait]` */
export async function runAppleTest(
  context: CommandContext,
  options: AppleTestOptions,
): Promise<ExitCode> {
  const { output } = context
  const startedAt = context.io.now()
  const tester = await appleTester(context, {
    baseUrl: options.baseUrl,
    rootCertFiles: options.rootCert,
    // Without --wait the timeout bounds the request; with it, the whole wait (below).
    timeoutMs: options.wait === true ? undefined : options.timeout,
  })
  if (
    options.wait === true &&
    options.timeout !== undefined &&
    options.timeout < tester.pollIntervalMs
  ) {
    tester.close()
    throw usageError(
      `--timeout ${formatDuration(options.timeout)} is shorter than the ${formatDuration(tester.pollIntervalMs)} between Apple status checks (${tester.environment}): the wait could never see a delivery. Give --timeout ${formatDuration(Math.max(30_000, tester.pollIntervalMs * 3))} or more.`,
      { vendor: 'apple', operation: context.operation },
    )
  }
  const host = new URL(tester.baseUrl).host
  const progress = await output.progress(
    `Asking Apple (${tester.environment}, ${host}) for a test notification`,
  )
  try {
    if (options.wait !== true) {
      const ticket = await tester.send({ signal: context.signal })
      progress.succeed('Apple accepted the test notification request')
      if (output.json) {
        emitResult(
          output,
          sentResult(
            { check: CHECK, startedAt, endedAt: context.io.now() },
            ticket,
            `Apple accepted the request (token ${ticket.id}); not followed: run with --wait, or notiprobe apple status ${ticket.id}`,
          ),
        )
      } else {
        printFacts(output, [
          ['token', ticket.id],
          ['environment', `${tester.environment} (${host})`],
          ['requested at', isoTime(ticket.requestedAt)],
          ['next', `notiprobe apple status ${ticket.id}   (or run with --wait)`],
        ])
      }
      return EXIT.ok
    }
    const outcome = await runTest(tester, {
      signal: context.signal,
      timeoutMs: options.timeout ?? DEFAULT_WAIT_MS,
      onSent: (ticket) =>
        progress.update(
          `Apple accepted the request (token ${ticket.id}); waiting for its delivery`,
        ),
      onProgress: (p) => progress.update(waitLine(p, tester.environment)),
    })
    const code = exitCodeForOutcome(outcome)
    if (code === EXIT.ok) progress.succeed('Delivered, and the signed payload verified')
    else progress.fail(`Not delivered: ${outcome.state}`)
    if (output.json)
      emitResult(
        output,
        outcomeResult({ check: CHECK, startedAt, endedAt: context.io.now() }, outcome),
      )
    else printAppleOutcome(output, tester, outcome)
    return code
  } catch (error) {
    progress.stop()
    throw error
  } finally {
    tester.close()
  }
}
