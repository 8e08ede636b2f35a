import { fileURLToPath } from 'node:url'

/** How much of each workload to run; `--smoke` shrinks everything to a few seconds. */
export interface BenchSettings {
  readonly smoke: boolean
  /** Runs of each per-call measurement (a fresh simulator and client process each). */
  readonly runs: number
  readonly calls: number
  /** Calls of the informational status + verify row. */
  readonly verifyCalls: number
  /**
   * Unmeasured calls before each per-call phase, in its own process. Per-call figures are of a
   * client whose JIT has settled: after 200 calls one still compiled (notiprobe's status check, by
   * cachegrind: 2,281K instructions a call over calls 500 to 2,500, 1,950K over 1,000 to 3,000,
   * 1,360K over 3,000 to 6,000), and the client with more code paid more of its warm-up inside
   * the measurement. Start-up costs are the cold-start rows' to measure.
   */
  readonly warmup: number
  /** Unmeasured calls before the status + verify phase (informational, and slow per call). */
  readonly verifyWarmup: number
  /** Calls of the raw client that warm each round's simulators before any measurement. */
  readonly simulatorWarmup: number
  readonly concurrency: number
  readonly coldRuns: number
  readonly historyRuns: number
  readonly historySmall: number
  readonly historyLarge: number
  /** Runs with the rate limits off (a 250 ms poll interval). */
  readonly confirmationRuns: number
  /** Runs as in the demo, Apple's sandbox hourly budgets on both sides: about 2 s each. */
  readonly demoConfirmationRuns: number
  readonly tokenLifetimeSeconds: number
  readonly tokenLifetimes: number
  readonly only: ReadonlySet<string> | undefined
}

export const WORKLOADS = ['per-call', 'cold-start', 'size', 'history', 'confirmation', 'long-run']

export function settingsFor(
  smoke: boolean,
  runs?: number,
  only?: readonly string[],
): BenchSettings {
  const base: BenchSettings = smoke
    ? {
        smoke,
        runs: 1,
        calls: 50,
        verifyCalls: 20,
        warmup: 10,
        verifyWarmup: 5,
        simulatorWarmup: 40,
        concurrency: 16,
        coldRuns: 1,
        historyRuns: 1,
        historySmall: 100,
        historyLarge: 1_000,
        confirmationRuns: 1,
        demoConfirmationRuns: 0,
        tokenLifetimeSeconds: 1,
        tokenLifetimes: 3,
        only: undefined,
      }
    : {
        smoke,
        // Five rounds: on 2 shared cores one round's ratio moves by ±0.1, so three left the median
        // to chance against a 1.15× target.
        runs: 5,
        calls: 2_000,
        verifyCalls: 500,
        warmup: 3_000,
        verifyWarmup: 200,
        simulatorWarmup: 800,
        concurrency: 16,
        coldRuns: 7,
        historyRuns: 3,
        historySmall: 1_000,
        historyLarge: 100_000,
        confirmationRuns: 5,
        demoConfirmationRuns: 3,
        tokenLifetimeSeconds: 1,
        tokenLifetimes: 20,
        only: undefined,
      }
  return {
    ...base,
    ...(runs === undefined ? {} : { runs, historyRuns: runs, coldRuns: Math.max(runs, 1) }),
    only: only === undefined || only.length === 0 ? undefined : new Set(only),
  }
}

/** The repository root (test/bench/dist/ → ../../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export function log(message: string): void {
  process.stderr.write(`${message}\n`)
}
