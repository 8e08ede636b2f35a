import type { Clock } from './clock.js'
import { systemClock } from './clock.js'
import { NotificationTestError, isNotificationTestError } from './error.js'
import { runTest } from './run-test.js'
import { isPassing, type NotificationTester, type TestOutcome, type TestTicket } from './types.js'
import type { WaitProgress } from './wait-for-outcome.js'

/** Any vendor's tester, whatever its send options and ticket type. */
export type AnyNotificationTester = NotificationTester<never>

/** One entry of `runAll`: a tester, with the options its `send()` needs. */
export interface RunEntry {
  readonly tester: AnyNotificationTester
  readonly send?: object | undefined
  /** Names the entry in the report; the vendor by default. */
  readonly name?: string | undefined
}

export type RunProgress =
  | { readonly type: 'started'; readonly name: string; readonly vendor: string }
  | {
      readonly type: 'sent'
      readonly name: string
      readonly vendor: string
      readonly ticket: TestTicket
    }
  | {
      readonly type: 'checked'
      readonly name: string
      readonly vendor: string
      readonly progress: WaitProgress
    }
  | {
      readonly type: 'finished'
      readonly name: string
      readonly vendor: string
      readonly result: RunResult
    }

/** What happened for one entry. `ok` when the vendor confirmed delivery or acceptance. */
export interface RunResult {
  readonly name: string
  readonly vendor: string
  readonly ok: boolean
  readonly outcome?: TestOutcome | undefined
  readonly error?: NotificationTestError | undefined
  readonly durationMs: number
}

export interface RunReport {
  readonly ok: boolean
  readonly startedAt: number
  readonly durationMs: number
  readonly results: readonly RunResult[]
}

export interface RunAllOptions {
  /** Entries run at once (4). */
  readonly concurrency?: number | undefined
  /**
   * Deadline of the whole run, every entry's send and wait included: an entry still running then
   * ends with a `timeout` error, and one whose turn comes after it is not sent at all.
   */
  readonly timeoutMs?: number | undefined
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((event: RunProgress) => void) | undefined
  readonly clock?: Clock | undefined
}

/**
 * Runs a test notification for every entry, a few at a time. One entry's failure never stops
 * another's: each gets its own result, with the error it met, even an entry that is not a tester
 * at all (null, a getter that throws, no `send`), and a throwing `onProgress` stops nothing.
 */
export async function runAll(
  entries: readonly (RunEntry | AnyNotificationTester)[],
  options: RunAllOptions = {},
): Promise<RunReport> {
  const clock = options.clock ?? systemClock
  const concurrency = options.concurrency ?? 4
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new NotificationTestError({
      vendor: 'notiprobe',
      operation: 'notiprobe.runAll',
      kind: 'invalid_input',
      message: `runAll options.concurrency: expected a whole number from 1, got ${String(concurrency)}.`,
    })
  }
  // Loaded here, not at import: every adapter imports this package, and few programs run a batch.
  const { default: pLimit } = await import('p-limit')
  const limit = pLimit(concurrency)
  const startedAt = clock.now()
  const endsAt = options.timeoutMs === undefined ? undefined : startedAt + options.timeoutMs
  const results = await Promise.all(
    entries.map((item, index) =>
      limit(() => runEntry(readEntry(item, index), options, clock, endsAt)),
    ),
  )
  return {
    ok: results.every((result) => result.ok),
    startedAt,
    durationMs: clock.now() - startedAt,
    results,
  }
}

/** An entry as read once, defensively: what it lacks or throws is its `problem`. */
interface ReadEntry {
  readonly name: string
  readonly vendor: string
  readonly tester?: NotificationTester
  readonly send?: object | undefined
  readonly problem?: string
}

function readEntry(item: unknown, index: number): ReadEntry {
  const fallback = `entry ${index + 1}`
  try {
    if (typeof item !== 'object' || item === null) {
      return { name: fallback, vendor: 'unknown', problem: `is ${describe(item)}` }
    }
    const entry = 'tester' in item ? (item as RunEntry) : { tester: item as AnyNotificationTester }
    const tester = entry.tester as unknown
    if (typeof tester !== 'object' || tester === null) {
      return {
        name: fallback,
        vendor: 'unknown',
        problem: `has a tester that is ${describe(tester)}`,
      }
    }
    const vendor = (tester as { vendor?: unknown }).vendor
    const vendorName = typeof vendor === 'string' && vendor !== '' ? vendor : 'unknown'
    const name = typeof entry.name === 'string' && entry.name !== '' ? entry.name : vendorName
    const { send, check } = tester as { send?: unknown; check?: unknown }
    if (typeof send !== 'function' || typeof check !== 'function') {
      return { name, vendor: vendorName, problem: 'has a tester without send() and check()' }
    }
    return { name, vendor: vendorName, tester: tester as NotificationTester, send: entry.send }
  } catch (caught) {
    return {
      name: fallback,
      vendor: 'unknown',
      problem: `could not be read (${caught instanceof Error ? caught.message : String(caught)})`,
    }
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value
}

async function runEntry(
  entry: ReadEntry,
  options: RunAllOptions,
  clock: Clock,
  endsAt: number | undefined,
): Promise<RunResult> {
  const { name, vendor } = entry
  const started = clock.now()
  const notify = (event: RunProgress): void => {
    try {
      options.onProgress?.(event)
    } catch {
      // The caller's progress display failing must not cost the entry its result.
    }
  }
  notify({ type: 'started', name, vendor })
  let result: RunResult
  try {
    if (entry.tester === undefined) {
      throw new NotificationTestError({
        vendor,
        operation: 'notiprobe.runAll',
        kind: 'invalid_input',
        message: `runAll ${name} ${entry.problem ?? 'is not a tester'}: expected a NotificationTester (vendor, send() and check()) or { tester, send?, name? }.`,
      })
    }
    const left = endsAt === undefined ? undefined : endsAt - started
    if (left !== undefined && left < 1) {
      throw new NotificationTestError({
        vendor,
        operation: 'notiprobe.runAll',
        kind: 'timeout',
        message: `${name} was not sent: the run's ${options.timeoutMs ?? 0} ms were over before its turn came. Raise the timeout, or run fewer checks at once.`,
        retryable: true,
      })
    }
    const outcome = await runTest(entry.tester, {
      send: entry.send,
      signal: options.signal,
      timeoutMs: left,
      clock,
      onSent: (ticket) => notify({ type: 'sent', name, vendor, ticket }),
      onProgress: (progress) => notify({ type: 'checked', name, vendor, progress }),
    })
    const ok = isPassing(outcome)
    result = { name, vendor, ok, outcome, durationMs: clock.now() - started }
  } catch (caught) {
    result = {
      name,
      vendor,
      ok: false,
      error: asTestError(caught, vendor),
      durationMs: clock.now() - started,
    }
  }
  notify({ type: 'finished', name, vendor, result })
  return result
}

/** Anything a tester throws becomes a NotificationTestError, so the report has one shape. */
function asTestError(caught: unknown, vendor: string): NotificationTestError {
  if (isNotificationTestError(caught)) return caught
  let what: string
  try {
    what = caught instanceof Error ? caught.message : String(caught)
  } catch {
    what = 'an unreadable error'
  }
  return new NotificationTestError({
    vendor,
    operation: `${vendor}.runTest`,
    kind: 'vendor_error',
    message: `The ${vendor} test failed unexpectedly: ${what}`,
    cause: caught,
  })
}
