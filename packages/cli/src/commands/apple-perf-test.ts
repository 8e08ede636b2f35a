import type { ApplePerformanceTestResult, AppleTester } from '@notiprobe/apple'
import type { CommandContext, CommonOptions } from '../context.js'
import { formatDuration } from '../duration.js'
import { usageError } from '../errors.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import type { Progress } from '../output/progress.js'
import { appleTester } from '../settings/apple.js'
import { printPerformanceResult } from './apple-format.js'
import { printFacts } from './shared.js'

export interface ApplePerfTestOptions extends CommonOptions {
  readonly originalTransactionId?: string
  /** Follow a test already started, instead of starting one. */
  readonly requestId?: string
  readonly wait?: boolean
  readonly baseUrl?: string
}

/** Apple's runs last minutes at most; five covers a run and the 10-second polling of Sandbox. */
const DEFAULT_WAIT_MS = 5 * 60_000

/**
 * `notiprobe apple perf-test --original-transaction-id <id> [--wait]` starts a test;
 * `--request-id <id> [--wait]` reads (or follows) one already started. 0 on PASS.
 */
export async function runApplePerfTest(
  context: CommandContext,
  options: ApplePerfTestOptions,
): Promise<ExitCode> {
  const { output } = context
  if ((options.originalTransactionId === undefined) === (options.requestId === undefined)) {
    throw usageError(
      'Give --original-transaction-id <id> to start a performance test, or --request-id <id> to follow one already started (not both).',
      { vendor: 'apple', operation: context.operation },
    )
  }
  const tester = await appleTester(context, {
    baseUrl: options.baseUrl,
    timeoutMs: options.wait === true ? undefined : options.timeout,
  })
  const progress = await output.progress(
    options.requestId === undefined
      ? 'Asking Apple to start a performance test of your realtime endpoint'
      : `Asking Apple about performance test ${options.requestId}`,
  )
  try {
    let requestId = options.requestId
    if (requestId === undefined) {
      const started = await tester.initiatePerformanceTest(
        { originalTransactionId: options.originalTransactionId ?? '' },
        { signal: context.signal },
      )
      requestId = started.requestId
      if (options.wait !== true) {
        progress.succeed(`Performance test ${requestId} started`)
        printStarted(context, started.requestId, started.config ?? {})
        return EXIT.ok
      }
      progress.update(`Performance test ${requestId} running`)
    }
    const result =
      options.wait === true
        ? await follow(context, tester, requestId, progress, options.timeout ?? DEFAULT_WAIT_MS)
        : await tester.getPerformanceTestResults(requestId, { signal: context.signal })
    const passed = result.result === 'PASS'
    if (passed) progress.succeed(`Performance test ${requestId} passed`)
    else progress.fail(`Performance test ${requestId}: ${result.result}`)
    if (output.json) output.emit({ ok: passed, requestId, ...result })
    else printPerformanceResult(output, result)
    if (!passed && result.result === 'PENDING' && !output.json) {
      output.print(`  next: notiprobe apple perf-test --request-id ${requestId} --wait`)
    }
    return passed ? EXIT.ok : EXIT.failed
  } catch (error) {
    progress.stop()
    throw error
  } finally {
    tester.close()
  }
}

function follow(
  context: CommandContext,
  tester: AppleTester,
  requestId: string,
  progress: Progress,
  timeoutMs: number,
): Promise<ApplePerformanceTestResult> {
  return tester.waitForPerformanceTest(requestId, {
    signal: context.signal,
    timeoutMs,
    onProgress: (p) =>
      progress.update(
        `Performance test ${requestId}: ${p.result.result}${p.result.numPending === undefined ? '' : `, ${p.result.numPending} requests pending`}${p.nextCheckInMs === undefined ? '' : `; next check in ${formatDuration(p.nextCheckInMs)}`}`,
      ),
  })
}

function printStarted(
  context: CommandContext,
  requestId: string,
  config: NonNullable<Awaited<ReturnType<AppleTester['initiatePerformanceTest']>>['config']>,
): void {
  const { output } = context
  if (output.json) {
    output.emit({ ok: true, requestId, config })
    return
  }
  printFacts(output, [
    ['request id', requestId],
    [
      'requests',
      `${config.totalRequests ?? '?'}, ${config.maxConcurrentRequests ?? '?'} at a time, over ${config.totalDuration === undefined ? '?' : formatDuration(config.totalDuration)}`,
    ],
    [
      'to pass',
      `${config.successRateThreshold ?? '?'} % answered within ${config.responseTimeThreshold ?? '?'} ms`,
    ],
    ['next', `notiprobe apple perf-test --request-id ${requestId} --wait`],
  ])
}
