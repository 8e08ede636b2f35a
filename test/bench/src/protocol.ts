import type { ClientKind } from './clients/types.js'

/** The per-call workloads, by the vendor call they repeat. */
export type PerCallWorkload =
  | 'apple.test'
  | 'apple.status'
  | 'apple.verify'
  | 'sailpoint.send'
  | 'github.ping'
  | 'github.deliveries'

export interface PerCallPhase {
  readonly workload: PerCallWorkload
  /** Callers sharing one client; 1 is the sequential case. */
  readonly concurrency: number
  /** Measured calls. */
  readonly calls: number
}

/** Phases one client process runs; the full run gives each phase a process of its own. */
export interface PerCallTask {
  readonly client: ClientKind
  readonly phases: readonly PerCallPhase[]
  /** Unmeasured calls before each phase, so that the JIT and the connection pool are warm. */
  readonly warmup: number
}

export interface PerCallResult extends PerCallPhase {
  readonly client: ClientKind
  readonly wallMs: number
  /** CPU time of the client process (user + system, all threads) over the measured calls. */
  readonly cpuMs: number
}

export interface HistoryTask {
  readonly client: ClientKind
  readonly startDate: number
  readonly endDate: number
  readonly expected: number
}

export interface HistoryResult {
  readonly client: ClientKind
  readonly records: number
  readonly ms: number
  /** Memory once the client exists, before the first page. */
  readonly baseline: { readonly rss: number; readonly heapUsed: number }
  readonly peak: { readonly rss: number; readonly heapUsed: number }
  /** Heap used after the read and a forced full GC: what the client still holds. */
  readonly liveHeapUsed: number
}

export interface LongRunTask {
  readonly client: ClientKind
  readonly durationMs: number
  readonly pauseMs: number
}

export interface LongRunResult {
  readonly client: ClientKind
  readonly sends: number
  readonly failures: number
  readonly firstFailure?: string
}

export interface ColdStartResult {
  /** `performance.now()` at each point: milliseconds since the process started. */
  readonly scriptStartMs: number
  readonly importedMs: number
  readonly answeredMs: number
  /** `performance.timeOrigin + answeredMs`: lets the parent measure spawn → answer. */
  readonly answeredAtEpochMs: number
  /** CPU time (user + system, all threads) of the process from its start to the answer. */
  readonly cpuMs: number
}

/** Children print exactly one line starting with this, holding their JSON result. */
export const RESULT_PREFIX = 'BENCH_RESULT '

export function emitResult(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`)
}

/** A cold-start script's result: its marks on this process's clock, and the answer's epoch time. */
export function emitColdStartResult(scriptStartMs: number, importedMs: number, answeredMs: number) {
  const cpu = process.cpuUsage()
  emitResult({
    cpuMs: (cpu.user + cpu.system) / 1000,
    scriptStartMs,
    importedMs,
    answeredMs,
    answeredAtEpochMs: performance.timeOrigin + answeredMs,
  })
  process.exit(0)
}
