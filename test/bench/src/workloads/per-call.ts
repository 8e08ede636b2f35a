import { CLIENT_KINDS, type ClientKind } from '../clients/types.js'
import type { PerCallPhase, PerCallResult, PerCallTask, PerCallWorkload } from '../protocol.js'
import { compareRow, type Row, type Series } from '../report.js'
import { pairedRatios, summarize } from '../stats.js'
import { log, type BenchSettings } from '../settings.js'
import { startApple, startGitHub, startReceiver, startSailPoint } from '../simulators.js'
import { benchScript, resultOf, runNode } from '../spawn.js'
import { GITHUB_PAGE_SIZE, type BenchTarget } from '../target.js'
import { push, rotate } from './rotation.js'

const LABELS: Record<PerCallWorkload, string> = {
  'apple.test': 'Apple Request a Test Notification',
  'apple.status': 'Apple Get Test Notification Status',
  'apple.verify': 'Apple status + verify the signed payload',
  'sailpoint.send': 'SailPoint send-test-notification (beta)',
  'github.ping': 'GitHub ping a repository hook',
  'github.deliveries': `GitHub list a hook's deliveries (one page of ${String(GITHUB_PAGE_SIZE)})`,
}

/** Issue 13: the named dependencies stay, so the reference is the floor client built on them. */
const TARGET = '≤ 1.15× floor'
/** Issue 13, client CPU of Get Test Notification Status against Apple's library. */
const STATUS_CPU_TARGET = '≤ 0.6× SDK'

interface Phase extends PerCallPhase {
  readonly clients: readonly ClientKind[]
  /** Unmeasured calls before the measured ones. */
  readonly warmup: number
}

function phasesOf(settings: BenchSettings): Phase[] {
  const both = (workload: PerCallWorkload, clients = CLIENT_KINDS): Phase[] =>
    [1, settings.concurrency].map((concurrency) => ({
      workload,
      concurrency,
      calls: settings.calls,
      clients,
      warmup: settings.warmup,
    }))
  return [
    ...both('apple.test'),
    ...both('apple.status'),
    // Informational: the raw baseline does not verify X.509 chains by hand.
    {
      workload: 'apple.verify',
      concurrency: 1,
      calls: settings.verifyCalls,
      clients: ['notiprobe', 'sdk'],
      warmup: settings.verifyWarmup,
    },
    ...both('sailpoint.send'),
    ...both('github.ping'),
    // The page is checked: its floor is also measured checking it (github-zod-floor.ts).
    ...both('github.deliveries', [...CLIENT_KINDS, 'zod-floor']),
  ]
}

/**
 * Simulators of one round. Apple test requests go to one that defers deliveries past the round, so
 * a call costs the server the call only (deliveries would double its work and dilute the clients'
 * differences); status and verify read from one that delivers at once. GitHub likewise: pings go
 * to a simulator that defers the deliveries they cause, reads to a hook with one seeded page.
 */
async function startRound(): Promise<{ target: BenchTarget; close: () => Promise<void> }> {
  const receiver = await startReceiver()
  const send = await startApple(receiver, { deliveryDelayMs: 3_600_000 })
  const read = await startApple(receiver)
  const sailpoint = await startSailPoint()
  const github = await startGitHub(receiver, { deliveryDelayMs: 3_600_000 })
  const githubRead = await startGitHub(receiver, { seeded: GITHUB_PAGE_SIZE })
  return {
    target: {
      apple: send.target,
      appleRead: read.target,
      sailpoint: sailpoint.target,
      github: github.target,
      githubRead: githubRead.target,
    },
    async close() {
      await Promise.all([
        send.simulator.close(),
        read.simulator.close(),
        sailpoint.simulator.close(),
        github.simulator.close(),
        githubRead.simulator.close(),
      ])
      await receiver.close()
    },
  }
}

async function measure(task: PerCallTask, target: BenchTarget): Promise<PerCallResult[]> {
  const what = `per-call ${task.client} ${task.phases.map((p) => p.workload).join(' ')}`
  const outcome = await runNode(benchScript('./workers/per-call.js'), [JSON.stringify(task)], {
    nodeArgs: ['--expose-gc'],
    target,
    timeoutMs: 600_000,
  })
  return resultOf(outcome, what) as PerCallResult[]
}

/**
 * Each round starts fresh simulators and warms them with an unmeasured raw pass. In the full run
 * every phase runs each client in a process of its own, clients taking turns going first, so no
 * client inherits another's heap, JIT state or server-side history, and drift is shared. The smoke
 * run puts all phases of a client in one process, to be quick.
 */
export async function perCall(settings: BenchSettings): Promise<Row[]> {
  const results: PerCallResult[] = []
  const phases = phasesOf(settings)
  for (let run = 0; run < settings.runs; run++) {
    const started = performance.now()
    const round = await startRound()
    try {
      if (!settings.smoke) {
        const warmed = [
          'apple.test',
          'apple.status',
          'sailpoint.send',
          'github.ping',
          'github.deliveries',
        ] as const
        const warm = warmed.map((workload) => ({
          workload,
          concurrency: 4,
          calls: settings.simulatorWarmup,
        }))
        await measure({ client: 'raw', phases: warm, warmup: 0 }, round.target)
      }
      if (settings.smoke) {
        for (const client of new Set(phases.flatMap((p) => p.clients))) {
          const mine = phases.filter((p) => p.clients.includes(client))
          const task = { client, phases: mine.map(phaseOnly), warmup: settings.warmup }
          results.push(...(await measure(task, round.target)))
        }
      } else {
        for (const [index, phase] of phases.entries()) {
          for (const client of rotate(phase.clients, run + index)) {
            const task = { client, phases: [phaseOnly(phase)], warmup: phase.warmup }
            results.push(...(await measure(task, round.target)))
          }
        }
      }
    } finally {
      await round.close()
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    log(`  per-call run ${String(run + 1)}/${String(settings.runs)}: ${seconds} s`)
  }
  return rowsOf(results, phases)
}

/** The phase as the worker takes it. */
function phaseOnly({ workload, concurrency, calls }: Phase): PerCallPhase {
  return { workload, concurrency, calls }
}

function rowsOf(results: readonly PerCallResult[], phases: readonly Phase[]): Row[] {
  const rows: Row[] = []
  for (const phase of phases) {
    const wall: Series = {}
    const cpu: Series = {}
    for (const r of results) {
      if (r.workload !== phase.workload || r.concurrency !== phase.concurrency) continue
      push(wall, r.client, r.wallMs / r.calls)
      push(cpu, r.client, (r.cpuMs * 1000) / r.calls)
    }
    const callers = phase.concurrency === 1 ? '1 caller' : `${String(phase.concurrency)} callers`
    const label = `${LABELS[phase.workload]}: ${phase.calls.toLocaleString('en-US')} calls, ${callers}`
    const targeted = phase.workload !== 'apple.verify'
    rows.push(
      withZodFloorNote(
        compareRow(
          {
            section: 'Per call',
            label,
            unit: 'ms/call',
            digits: 3,
            target: targeted ? TARGET : 'info',
          },
          wall,
          targeted ? ({ vsFloor }) => vsFloor !== undefined && vsFloor.median <= 1.15 : undefined,
        ),
        wall,
      ),
      phase.workload === 'apple.status'
        ? compareRow(
            {
              section: 'Per call',
              label,
              unit: 'client CPU µs/call',
              digits: 0,
              target: STATUS_CPU_TARGET,
            },
            cpu,
            ({ vsSdk }) => vsSdk !== undefined && vsSdk.median <= 0.6,
          )
        : compareRow(
            { section: 'Per call', label, unit: 'client CPU µs/call', digits: 0, target: 'info' },
            cpu,
          ),
    )
  }
  return rows
}

/**
 * Where the floor was also measured validating the answer with zod, the row says what that proves:
 * above 1.15× the floor, the target is out of reach for any client that checks the answer.
 */
function withZodFloorNote(row: Row, wall: Series): Row {
  const checked = row.zodFloorVsFloor
  const notiprobe = wall.notiprobe
  const zodFloor = wall['zod-floor']
  if (checked === undefined || notiprobe === undefined || zodFloor === undefined) return row
  const vsChecked = summarize(pairedRatios(notiprobe, zodFloor)).median
  const verdict =
    checked.median > 1.15
      ? `above the target by itself, so no client that checks the page can meet it`
      : `under the target, so checking alone does not put it out of reach`
  return {
    ...row,
    note: `the floor checking each delivery with zod used bare takes ${checked.median.toFixed(2)}× the floor, ${verdict}; notiprobe takes ${vsChecked.toFixed(2)}× that checking floor.`,
  }
}
