import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { CLIENT_KINDS as KINDS, type ClientKind } from '../clients/types.js'
import type { ColdStartResult } from '../protocol.js'
import { compareRow, type Row, type Series } from '../report.js'
import { summarize } from '../stats.js'
import { log, REPO_ROOT, type BenchSettings } from '../settings.js'
import { startApple, startGitHub, startReceiver, startSailPoint } from '../simulators.js'
import { benchScript, resultOf, runNode, type NodeRun } from '../spawn.js'
import type { BenchTarget } from '../target.js'
import { push, rotate } from './rotation.js'

interface ColdSeries {
  /** Spawn to first answer, measured by the parent: node's start-up, imports and the call. */
  readonly total: Series
  /** The `import()` of the library alone, measured inside the child. */
  readonly imports: Series
  /** The child's CPU time up to the answer: what the process cost, whatever the machine's load. */
  readonly cpu: Series
}

/**
 * A new process per run that imports one client and makes one call: the serverless case. Each
 * script runs once unmeasured first so the OS file cache is warm for all alike.
 */
async function coldOf(
  vendor: 'apple' | 'sailpoint' | 'github',
  target: BenchTarget,
  runs: number,
): Promise<ColdSeries> {
  const total: Series = {}
  const imports: Series = {}
  const cpu: Series = {}
  const spawn = (kind: ClientKind): Promise<NodeRun> =>
    kind === 'notiprobe'
      ? runNode(benchScript(`./cold/${vendor}-notiprobe.js`), [], { target, timeoutMs: 60_000 })
      : runNode(benchScript('./cold/baseline.js'), [vendor, kind], { target, timeoutMs: 60_000 })
  if (runs > 1) for (const kind of KINDS) await spawn(kind)
  for (let run = 0; run < runs; run++) {
    for (const kind of rotate(KINDS, run)) {
      const outcome = await spawn(kind)
      const r = resultOf(outcome, `cold start ${vendor} ${kind}`) as ColdStartResult
      push(total, kind, r.answeredAtEpochMs - outcome.spawnedAtEpochMs)
      push(imports, kind, r.importedMs - r.scriptStartMs)
      push(cpu, kind, r.cpuMs)
    }
  }
  return { total, imports, cpu }
}

export async function coldStart(settings: BenchSettings): Promise<Row[]> {
  const receiver = await startReceiver()
  const apple = await startApple(receiver, { deliveryDelayMs: 3_600_000 })
  const sailpoint = await startSailPoint()
  // Pings' deliveries deferred past the run, as Apple's: the receiver's work is not the client's.
  const github = await startGitHub(receiver, { deliveryDelayMs: 3_600_000 })
  const rows: Row[] = []
  try {
    const vendors = [
      ['apple', { apple: apple.target }, 'Apple: import, then Request a Test Notification'],
      ['sailpoint', { sailpoint: sailpoint.target }, 'SailPoint: import, then token + send'],
      ['github', { github: github.target }, 'GitHub: import, then ping a repository hook'],
    ] as const
    for (const [vendor, target, label] of vendors) {
      log(`  cold start ${vendor}`)
      const { total, imports, cpu } = await coldOf(vendor, target, settings.coldRuns)
      rows.push(
        compareRow(
          {
            section: 'Cold start',
            label: `${label}, new process`,
            unit: 'ms spawn → answer',
            digits: 0,
            target: '≤ SDK',
          },
          total,
          ({ vsSdk }) => vsSdk !== undefined && vsSdk.median <= 1,
        ),
        compareRow(
          {
            section: 'Cold start',
            label: `${label}: import() alone`,
            unit: 'ms',
            digits: 0,
            target: '≤ SDK',
          },
          imports,
          ({ vsSdk }) => vsSdk !== undefined && vsSdk.median <= 1,
        ),
        compareRow(
          {
            section: 'Cold start',
            label: `${label}: CPU time of the process, start to answer`,
            unit: 'CPU ms',
            digits: 0,
            target: 'info',
          },
          cpu,
        ),
      )
    }
  } finally {
    await Promise.all([
      apple.simulator.close(),
      sailpoint.simulator.close(),
      github.simulator.close(),
    ])
    await receiver.close()
  }
  rows.push(...(await helpTime(settings)))
  return rows
}

/** `notiprobe --help`, spawn to exit, next to `node -e 0` (the floor of any Node CLI). */
async function helpTime(settings: BenchSettings): Promise<Row[]> {
  // The command as installed (package.json's `bin`), which loads the build.
  const bin = join(REPO_ROOT, 'packages/cli/bin/notiprobe.js')
  if (!existsSync(join(REPO_ROOT, 'packages/cli/dist/bin.js'))) {
    log('  notiprobe --help: packages/cli/dist/bin.js does not exist yet, skipped')
    return []
  }
  log('  notiprobe --help')
  const help: number[] = []
  const floor: number[] = []
  const runs = Math.max(settings.coldRuns, 1)
  if (runs > 1) await runNode(bin, ['--help'])
  for (let run = 0; run < runs; run++) {
    const outcome = await runNode(bin, ['--help'], { timeoutMs: 30_000 })
    if (outcome.code !== 0)
      throw new Error(`notiprobe --help exited ${String(outcome.code)}: ${outcome.stderr}`)
    help.push(outcome.wallMs)
    floor.push((await runNode('-e', ['0'])).wallMs)
  }
  const over = summarize(help.map((ms, i) => ms - (floor[i] ?? NaN)))
  return [
    compareRow(
      {
        section: 'Cold start',
        note: `notiprobe's own share (each run minus the \`node -e 0\` run after it): ${over.median.toFixed(0)} ms (${over.min.toFixed(0)}–${over.max.toFixed(0)})`,
        label: '`notiprobe --help` (the "raw" column: `node -e 0`, the floor of any Node CLI)',
        unit: 'ms spawn → exit',
        digits: 0,
        target: '< 150 ms',
      },
      { notiprobe: help, raw: floor },
      ({ values }) => values.notiprobe !== undefined && values.notiprobe.median < 150,
    ),
  ]
}
