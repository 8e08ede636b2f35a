import type { CommandContext, CommonOptions } from '../context.js'
import { formatDuration } from '../duration.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { appleTester } from '../settings/apple.js'
import { printPerformanceResult } from './apple-format.js'
import { printFacts } from './shared.js'

export interface ApplePerfTestOptions extends CommonOptions {
  readonly originalTransactionId: string
  readonly wait?: boolean
  readonly baseUrl?: string
}

/** Apple's runs last minutes at most; five covers a run and the 10-second polling of Sandbox. */
const DEFAULT_WAIT_MS = 5 * 60_000

/** `notiprobe apple perf-test --original-transaction-id <id> [--wait]`: 0 on PASS. */
export async function runApplePerfTest(
  context: CommandContext,
  options: ApplePerfTestOptions,
): Promise<ExitCode> {
  const { output } = context
  const tester = await appleTester(context, {
    baseUrl: options.baseUrl,
    timeoutMs: options.wait === true ? undefined : options.timeout,
  })
  const progress = await output.progress(
    'Asking Apple to start a performance test of your realtime endpoint',
  )
  try {
    const started = await tester.initiatePerformanceTest(
      { originalTransactionId: options.originalTransactionId },
      { signal: context.signal },
    )
    const config = started.config ?? {}
    if (options.wait !== true) {
      progress.succeed(`Performance test ${started.requestId} started`)
      if (output.json) {
        output.emit({ ok: true, requestId: started.requestId, config })
      } else {
        printFacts(output, [
          ['request id', started.requestId],
          [
            'requests',
            `${config.totalRequests ?? '?'}, ${config.maxConcurrentRequests ?? '?'} at a time, over ${config.totalDuration === undefined ? '?' : formatDuration(config.totalDuration)}`,
          ],
          [
            'to pass',
            `${config.successRateThreshold ?? '?'} % answered within ${config.responseTimeThreshold ?? '?'} ms`,
          ],
          ['next', 'run again with --wait to follow it to its result'],
        ])
      }
      return EXIT.ok
    }
    progress.update(`Performance test ${started.requestId} running`)
    const result = await tester.waitForPerformanceTest(started.requestId, {
      signal: context.signal,
      timeoutMs: options.timeout ?? DEFAULT_WAIT_MS,
      onProgress: (p) =>
        progress.update(
          `Performance test ${started.requestId}: ${p.result.result}${p.result.numPending === undefined ? '' : `, ${p.result.numPending} requests pending`}${p.nextCheckInMs === undefined ? '' : `; next check in ${formatDuration(p.nextCheckInMs)}`}`,
        ),
    })
    const passed = result.result === 'PASS'
    if (passed) progress.succeed(`Performance test ${started.requestId} passed`)
    else progress.fail(`Performance test ${started.requestId}: ${result.result}`)
    if (output.json) output.emit({ ok: passed, requestId: started.requestId, ...result })
    else printPerformanceResult(output, result)
    return passed ? EXIT.ok : EXIT.failed
  } catch (error) {
    progress.stop()
    throw error
  } finally {
    tester.close()
  }
}
