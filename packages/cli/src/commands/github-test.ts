import { runTest } from '@notiprobe/core'
import type { GitHubTestOutcome, GitHubTester, GitHubTicket } from '@notiprobe/github'
import type { CommandContext, CommonOptions } from '../context.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import type { Output } from '../output/output.js'
import { githubTester, type GitHubTargetFlags } from '../settings/github.js'
import { emitResult, outcomeResult, sentResult } from '../output/result.js'
import { exitCodeForOutcome, isoTime, printFacts, stateLabel } from './shared.js'

export interface GitHubTestOptions extends CommonOptions, GitHubTargetFlags {
  readonly wait?: boolean
  readonly push?: boolean
  readonly baseUrl?: string
  readonly apiVersion?: string
}

/** GitHub says deliveries can take a few minutes to show in the log. */
const DEFAULT_WAIT_MS = 300_000

/** `notiprobe github test [--wait]`: a ping (or push test, or the App hook's redelivery). */
export async function runGitHubTest(
  context: CommandContext,
  options: GitHubTestOptions,
): Promise<ExitCode> {
  const { output } = context
  const startedAt = context.io.now()
  const tester = await githubTester(context, {
    ...options,
    timeoutMs: options.wait === true ? undefined : options.timeout,
  })
  const what =
    tester.target.type === 'app'
      ? 'redeliver the App hook’s newest delivery'
      : options.push === true
        ? 'run the push test'
        : 'ping'
  const progress = await output.progress(
    `Asking GitHub (${new URL(tester.baseUrl).host}) to ${what} ${hookName(tester)}`,
  )
  const check =
    tester.target.type === 'app'
      ? 'webhook redelivery'
      : options.push === true
        ? 'webhook push test'
        : 'webhook ping'
  const send = { event: options.push === true ? ('push' as const) : undefined }
  try {
    if (options.wait !== true) {
      const ticket = await tester.send({ ...send, signal: context.signal })
      progress.succeed(`GitHub accepted the request (HTTP ${ticket.details.httpStatus})`)
      if (output.json)
        emitResult(
          output,
          sentResult(
            { check, startedAt, endedAt: context.io.now() },
            ticket,
            `GitHub accepted the request (HTTP ${ticket.details.httpStatus}); not followed: run with --wait`,
          ),
        )
      else printTicket(output, ticket, options.push === true)
      return EXIT.ok
    }
    const outcome: GitHubTestOutcome = await runTest(tester, {
      signal: context.signal,
      timeoutMs: options.timeout ?? DEFAULT_WAIT_MS,
      send,
      onSent: () =>
        progress.update(`GitHub accepted the request; waiting for the delivery to show in the log`),
      onProgress: (p) =>
        progress.update(
          `Waiting for the delivery in GitHub's log: ${p.outcome.state} after ${Math.round(p.elapsedMs / 1000)} s`,
        ),
    })
    const code = exitCodeForOutcome(outcome)
    if (code === EXIT.ok)
      progress.succeed('Delivered: GitHub’s log shows a 2xx answer from the receiver')
    else progress.fail(`Not delivered: ${outcome.state}`)
    if (output.json)
      emitResult(output, outcomeResult({ check, startedAt, endedAt: context.io.now() }, outcome))
    else printGitHubOutcome(output, outcome)
    return code
  } catch (error) {
    progress.stop()
    throw error
  } finally {
    tester.close()
  }
}

export function hookName(tester: GitHubTester): string {
  const t = tester.target
  return t.type === 'repository'
    ? `hook ${t.hookId} of ${t.owner}/${t.repo}`
    : t.type === 'organization'
      ? `hook ${t.hookId} of the ${t.org} organization`
      : 'the GitHub App’s hook'
}

function printTicket(output: Output, ticket: GitHubTicket, push: boolean): void {
  printFacts(output, [
    ['request', `${ticket.details.endpoint} → HTTP ${ticket.details.httpStatus}`],
    ['requested at', isoTime(ticket.requestedAt)],
    [
      'note',
      push
        ? 'GitHub sends nothing for the push test unless the hook is subscribed to push events.'
        : ticket.details.kind === 'redelivery'
          ? 'GitHub has no ping for App hooks: the newest delivery was redelivered.'
          : undefined,
    ],
    [
      'next',
      'run with --wait to confirm it in the deliveries log, or: notiprobe github deliveries',
    ],
  ])
}

export function printGitHubOutcome(output: Output, outcome: GitHubTestOutcome): void {
  const d = outcome.delivery
  printFacts(output, [
    ['request', `${outcome.ticket.details.endpoint} → HTTP ${outcome.ticket.details.httpStatus}`],
    [
      'delivery',
      d === undefined
        ? undefined
        : `${d.id} (GUID ${d.guid}, event ${d.event}${d.redelivery ? ', redelivery' : ''})`,
    ],
    [
      'answer',
      d === undefined
        ? undefined
        : `HTTP ${d.status_code} "${d.status}" after ${d.duration} s at ${d.delivered_at}`,
    ],
    ['response', outcome.evidence?.responseBody],
    ['headers', outcome.evidence?.responseHeaders.slice(0, 5).join('; ')],
    ['state', `${stateLabel(output, outcome.state)}: ${outcome.summary}`],
  ])
}
