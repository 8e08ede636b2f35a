import { waitForOutcome } from '@notiprobe/core'
import type { CommandContext, CommonOptions } from '../context.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { githubTester, type GitHubTargetFlags } from '../settings/github.js'
import { printGitHubOutcome } from './github-test.js'
import { exitCodeForOutcome, isoTime, outcomeJson, printFacts } from './shared.js'

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
  const tester = await githubTester(context, { ...options, timeoutMs: options.timeout })
  const progress = await output.progress(`Asking GitHub to redeliver delivery ${deliveryId}`)
  try {
    const ticket = await tester.redeliver(deliveryId, { signal: context.signal })
    progress.succeed(`GitHub accepted the redelivery (HTTP ${ticket.details.httpStatus})`)
    if (options.wait !== true) {
      if (output.json) output.emit({ ok: true, ticket })
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
    if (output.json) output.emit(outcomeJson(outcome))
    else printGitHubOutcome(output, outcome)
    return exitCodeForOutcome(outcome)
  } catch (error) {
    progress.stop()
    throw error
  } finally {
    tester.close()
  }
}
