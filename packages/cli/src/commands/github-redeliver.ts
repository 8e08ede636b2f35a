import { waitForOutcome } from '@notiprobe/core'
import type { CommandContext, CommonOptions } from '../context.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { githubTester, type GitHubTargetFlags } from '../settings/github.js'
import { printGitHubOutcome } from './github-test.js'
import { emitResult, outcomeResult, sentResult } from '../output/result.js'
import { exitCodeForOutcome, isoTime, printFacts } from './shared.js'

export interface GitHubRedeliverOptions extends CommonOptions, GitHubTargetFlags {
  readonly wait?: boolean
  readonly baseUrl?: string
  readonly apiVersion?: string
}

const DEFAULT_WAIT_MS = 300_000

/** `notiprobe github redeliver <id> [--wait]` */
export async function runGitHubRedeliver(
  context: CommandContext,
  deliveryId: string,
  options: GitHubRedeliverOptions,
): Promise<ExitCode> {
  const { output } = context
  const startedAt = context.io.now()
  const check = 'webhook redelivery'
  const tester = await githubTester(context, { ...options, timeoutMs: options.timeout })
  const progress = await output.progress(`Asking GitHub to redeliver delivery ${deliveryId}`)
  try {
    const ticket = await tester.redeliver(deliveryId, { signal: context.signal })
    progress.succeed(`GitHub accepted the redelivery (HTTP ${ticket.details.httpStatus})`)
    if (options.wait !== true) {
      if (output.json)
        emitResult(
          output,
          sentResult(
            { check, startedAt, endedAt: context.io.now() },
            ticket,
            `GitHub accepted the redelivery of ${deliveryId} (HTTP ${ticket.details.httpStatus}); not followed: run with --wait`,
          ),
        )
      else
        printFacts(output, [
          ['request', `${ticket.details.endpoint} → HTTP ${ticket.details.httpStatus}`],
          ['guid', ticket.details.guid],
          ['requested at', isoTime(ticket.requestedAt)],
        ])
      return EXIT.ok
    }
    const outcome = await waitForOutcome(tester, ticket, {
      signal: context.signal,
      timeoutMs: options.timeout ?? DEFAULT_WAIT_MS,
    })
    if (output.json)
      emitResult(output, outcomeResult({ check, startedAt, endedAt: context.io.now() }, outcome))
    else printGitHubOutcome(output, outcome)
    return exitCodeForOutcome(outcome)
  } catch (error) {
    progress.stop()
    throw error
  } finally {
    tester.close()
  }
}
