import type { LongRunResult, LongRunTask } from '../protocol.js'
import type { Row } from '../report.js'
import { summarize } from '../stats.js'
import { log, type BenchSettings } from '../settings.js'
import { startSailPoint } from '../simulators.js'
import { benchScript, resultOf, runNode } from '../spawn.js'

/** notiprobe renews a token after 90 % of its life (at most a minute early), never later. */
const RENEWAL_SHARE = 0.9

interface LongRun {
  readonly result: LongRunResult
  readonly tokens: number
}

async function longRun(task: LongRunTask, lifetimeSeconds: number): Promise<LongRun> {
  const { simulator, target } = await startSailPoint({
    tokenLifetimeSeconds: lifetimeSeconds,
    rateLimits: 'vendor',
  })
  try {
    const outcome = await runNode(benchScript('./workers/long-run.js'), [JSON.stringify(task)], {
      target: { sailpoint: target },
      timeoutMs: task.durationMs + 60_000,
    })
    return {
      result: resultOf(outcome, `long run ${task.client}`) as LongRunResult,
      tokens: simulator.tokensIssued,
    }
  } finally {
    await simulator.close()
  }
}

/**
 * SailPoint sends for many token lifetimes (749 s scaled down in the simulator), notiprobe and the
 * official SDK side by side (each with its own simulator; the figures are counts, not times).
 */
export async function longRuns(settings: BenchSettings): Promise<Row[]> {
  const lifetime = settings.tokenLifetimeSeconds
  const durationMs = lifetime * settings.tokenLifetimes * 1000
  log(`  long run: ${String(settings.tokenLifetimes)} token lifetimes of ${String(lifetime)} s`)
  const task = (client: 'notiprobe' | 'sdk'): LongRunTask => ({ client, durationMs, pauseMs: 100 })
  const [np, sdk] = await Promise.all([
    longRun(task('notiprobe'), lifetime),
    longRun(task('sdk'), lifetime),
  ])
  const one = (value: number) => summarize([value])
  // The first token, then one per renewal period.
  const allowed = 1 + Math.ceil(settings.tokenLifetimes / RENEWAL_SHARE)
  const lifetimes = `${String(settings.tokenLifetimes)} token lifetimes (${String(lifetime)} s each)`
  return [
    {
      section: 'Long run',
      label: `SailPoint sends across ${lifetimes}: failed sends`,
      unit: 'failed / sent',
      digits: 0,
      values: { notiprobe: one(np.result.failures), sdk: one(sdk.result.failures) },
      target: '0 failures',
      met: np.result.failures === 0,
      note: `notiprobe ${String(np.result.failures)}/${String(np.result.sends)}, SDK ${String(sdk.result.failures)}/${String(sdk.result.sends)}${sdk.result.firstFailure === undefined ? '' : ` (SDK: ${sdk.result.firstFailure})`}${np.result.firstFailure === undefined ? '' : ` (notiprobe: ${np.result.firstFailure})`}`,
    },
    {
      section: 'Long run',
      label: `SailPoint sends across ${lifetimes}: token requests`,
      unit: 'tokens',
      digits: 0,
      values: { notiprobe: one(np.tokens), sdk: one(sdk.tokens) },
      target: `≤ ${String(allowed)} (one per lifetime, renewed at 90 %)`,
      met: np.tokens <= allowed && np.tokens >= settings.tokenLifetimes * 0.9,
    },
  ]
}
