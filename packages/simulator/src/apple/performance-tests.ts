import { randomUUID } from 'node:crypto'
import type { PayloadSigner } from './payload-signer.js'
import {
  PerformanceTestRun,
  type PerformanceTestConfig,
  type PerformanceTestResult,
} from './performance-test-run.js'

/** A performance test as `inspect()` shows it. */
export interface PerformanceTestInspection extends PerformanceTestResult {
  requestId: string
  originalTransactionId: string
  startedAt: number
  finishedAt?: number
  /** The most realtime requests that were in flight at once. */
  maxInFlight: number
  error?: string
}

export interface PerformanceTestsOptions {
  signer: PayloadSigner
  now: () => number
  appAppleId: number
  bundleId: string
  config: PerformanceTestConfig
}

/** The app's performance test runs: at most one in progress, finished ones kept for results. */
export class PerformanceTests {
  readonly #options: PerformanceTestsOptions
  readonly #runs = new Map<string, PerformanceTestRun>()

  constructor(options: PerformanceTestsOptions) {
    this.#options = options
  }

  /** The run in progress, if any (Apple refuses a second one with 4000213). */
  get active(): PerformanceTestRun | undefined {
    for (const run of this.#runs.values()) if (run.pending) return run
    return undefined
  }

  start(originalTransactionId: string, target: string): PerformanceTestRun {
    const { signer, now, appAppleId, bundleId, config } = this.#options
    const run = new PerformanceTestRun({
      requestId: randomUUID(),
      originalTransactionId,
      target,
      config,
      signer,
      now,
      appAppleId,
      productId: `${bundleId}.monthly`,
      userLocale: 'en-US',
    })
    this.#runs.set(run.requestId, run)
    return run
  }

  get(requestId: string): PerformanceTestRun | undefined {
    return this.#runs.get(requestId.toLowerCase())
  }

  list(): PerformanceTestInspection[] {
    return [...this.#runs.values()].map((run) => ({
      requestId: run.requestId,
      originalTransactionId: run.originalTransactionId,
      startedAt: run.startedAt,
      ...(run.finishedAt === undefined ? {} : { finishedAt: run.finishedAt }),
      maxInFlight: run.maxInFlight,
      ...(run.error === undefined ? {} : { error: run.error }),
      ...run.result(),
    }))
  }

  /** Aborts every run still in progress. */
  async close(): Promise<void> {
    await Promise.all([...this.#runs.values()].map((run) => run.abort()))
  }
}
