import type { ConfirmationResult } from '../workers/confirmation.js'
import type { Row } from '../report.js'
import { summarize } from '../stats.js'
import { log, type BenchSettings } from '../settings.js'
import { startApple, startReceiver } from '../simulators.js'
import { benchScript, resultOf, runNode } from '../spawn.js'

interface Gaps {
  readonly pollIntervalMs: number
  /** send() → the simulator's record of the delivery being acknowledged. */
  readonly delivered: number[]
  /** The simulator's delivery → notiprobe's confirmed outcome: the polling overhead. */
  readonly gap: number[]
}

/**
 * The demo set-up: a Sandbox Apple simulator delivering to a local receiver, and notiprobe's
 * tester running `runTest` (send, then `waitForOutcome`). The simulator's own record of each
 * delivery (attempt start plus its duration) is the reference.
 */
async function confirm(
  runs: number,
  rateLimits: 'off' | 'hourly',
  deliveryDelayMs: number,
): Promise<Gaps> {
  const receiver = await startReceiver()
  const { simulator, target } = await startApple(receiver, { rateLimits, deliveryDelayMs })
  try {
    const outcome = await runNode(
      benchScript('./workers/confirmation.js'),
      [JSON.stringify({ runs, rateLimits })],
      { target: { apple: target }, timeoutMs: 120_000 + runs * 30_000 },
    )
    const result = resultOf(outcome, `confirmation (${rateLimits})`) as ConfirmationResult
    const records = simulator.inspect().testNotifications
    const delivered: number[] = []
    const gap: number[] = []
    for (const c of result.confirmations) {
      if (c.state !== 'delivered') throw new Error(`confirmation ended ${c.state}, not delivered`)
      const attempt = records.find((r) => r.testNotificationToken === c.token)?.attempts[0]
      if (attempt === undefined) throw new Error(`the simulator has no attempt for ${c.token}`)
      const deliveredAt = attempt.attemptDate + attempt.durationMs
      delivered.push(deliveredAt - c.sentAtEpochMs)
      gap.push(c.confirmedAtEpochMs - deliveredAt)
    }
    return { pollIntervalMs: result.pollIntervalMs, delivered, gap }
  } finally {
    await simulator.close()
    await receiver.close()
  }
}

function rowsOf(gaps: Gaps, what: string, targetMs = gaps.pollIntervalMs): Row[] {
  const gap = summarize(gaps.gap)
  return [
    {
      section: 'Time to confirmation',
      label: `${what}: send() → delivered (the simulator's record)`,
      unit: 'ms',
      digits: 0,
      values: { notiprobe: summarize(gaps.delivered) },
      target: 'info',
    },
    {
      section: 'Time to confirmation',
      label: `${what}: delivered → confirmed outcome (poll interval ${String(gaps.pollIntervalMs)} ms)`,
      unit: 'ms',
      digits: 0,
      values: { notiprobe: gap },
      target: `≤ ${String(targetMs)} ms`,
      met: gap.max <= targetMs,
    },
  ]
}

/** The fidelity issue's target for a Sandbox confirmation within Apple's hourly budgets. */
const SANDBOX_CONFIRMATION_TARGET_MS = 1500

/**
 * The demo's own set-up: Sandbox, Apple's documented limits (hourly budgets) enforced by the
 * simulator and kept by the tester (status checks a second apart), delivery 100 ms after the
 * request. Mostly waiting: it can run in the background.
 */
export async function demoConfirmation(settings: BenchSettings): Promise<Row[]> {
  if (settings.demoConfirmationRuns === 0) return []
  log(`  confirmation as in the demo (about ${String(settings.demoConfirmationRuns * 2)} s)`)
  const gaps = await confirm(settings.demoConfirmationRuns, 'hourly', 100)
  return rowsOf(
    gaps,
    "Demo set-up (Sandbox, Apple's hourly budgets on both sides)",
    SANDBOX_CONFIRMATION_TARGET_MS,
  )
}

/**
 * Both sides' limits off: the tester's fastest polling (250 ms), so the overhead shows. Each run
 * is its own process's first confirmation, as with `notiprobe apple test --wait`. Run alone: a
 * 250 ms budget is within reach of a busy machine's scheduling delays.
 */
export async function fastConfirmation(settings: BenchSettings): Promise<Row[]> {
  log('  confirmation, rate limits off')
  return rowsOf(await confirm(settings.confirmationRuns, 'off', 100), 'Rate limits off')
}
