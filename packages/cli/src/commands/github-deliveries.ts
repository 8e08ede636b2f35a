import { isDelivered } from '@notiprobe/github'
import type { CommandContext, CommonOptions } from '../context.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { githubTester, type GitHubTargetFlags } from '../settings/github.js'
import { stateLabel } from './shared.js'

export interface GitHubDeliveriesOptions extends CommonOptions, GitHubTargetFlags {
  readonly failures?: boolean
  readonly limit?: number
  readonly baseUrl?: string
  readonly apiVersion?: string
}

const DEFAULT_LIMIT = 30

/** `notiprobe github deliveries [--failures]`: the hook's log, newest first; NDJSON with --json. */
export async function runGitHubDeliveries(
  context: CommandContext,
  options: GitHubDeliveriesOptions,
): Promise<ExitCode> {
  const { output } = context
  const tester = await githubTester(context, { ...options, timeoutMs: undefined })
  const limit = options.limit ?? DEFAULT_LIMIT
  const rows: string[][] = []
  try {
    const deliveries = tester.listDeliveries({
      status: options.failures === true ? 'failure' : undefined,
      perPage: Math.min(limit, 100),
      signal: context.signal,
      timeoutMs: options.timeout,
    })
    let count = 0
    for await (const d of deliveries) {
      if (count++ >= limit) break
      if (output.json) output.emit(d)
      else {
        const state = isDelivered(d) ? 'delivered' : 'failed'
        rows.push([
          d.delivered_at,
          d.id,
          d.event,
          `${d.status_code} ${d.status}`,
          stateLabel(output, state),
          d.redelivery ? 'yes' : '',
          d.guid,
        ])
      }
    }
    if (!output.json) {
      if (rows.length === 0)
        output.print(
          options.failures === true
            ? 'No failed deliveries in the log.'
            : 'No deliveries in the log.',
        )
      else
        await output.table(
          ['delivered at', 'id', 'event', 'answer', 'state', 'redelivery', 'guid'],
          rows,
        )
    }
    return EXIT.ok
  } finally {
    tester.close()
  }
}
