import pLimit from 'p-limit'
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
  /** Deadline of each entry, send and wait together. */
  readonly timeoutMs?: number | undefined
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((event: RunProgress) => void) | undefined
  readonly clock?: Clock | undefined
}

/**
 * Runs a test notification for every entry, a few at a time. One vendor's failure never stops
 * another's: each gets its own result, with the error it met.
 */
export async function runAll(
  entries: readonly (RunEntry | AnyNotificationTester)[],
  options: RunAllOptions = {},
): Promise<RunReport> {
  const clock = options.clock ?? systemClock
  const limit = pLimit(Math.max(1, options.concurrency ?? 4))
  const startedAt = clock.now()
  const results = await Promise.all(
    entries.map((item) => {
      const entry: RunEntry = 'tester' in item ? item : { tester: item }
      return limit(() => runEntry(entry, options, clock))
    }),
  )
  return {
    ok: results.every((result) => result.ok),
    startedAt,
    durationMs: clock.now() - startedAt,
    results,
  }
}

async function runEntry(entry: RunEntry, options: RunAllOptions, clock: Clock): Promise<RunResult> {
  const { vendor } = entry.tester
  const name = entry.name ?? vendor
  const started = clock.now()
  const notify = options.onProgress ?? (() => undefined)
  notify({ type: 'started', name, vendor })
  let result: RunResult
  try {
    const tester = entry.tester as NotificationTester
    const outcome = await runTest(tester, {
      send: entry.send,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
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
  return new NotificationTestError({
    vendor,
    operation: `${vendor}.runTest`,
    kind: 'vendor_error',
    message: `The ${vendor} test failed unexpectedly: ${caught instanceof Error ? caught.message : String(caught)}`,
    cause: caught,
  })
}
