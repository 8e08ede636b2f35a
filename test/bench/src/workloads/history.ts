import { CLIENT_KINDS, type ClientKind } from '../clients/types.js'
import type { HistoryResult, HistoryTask } from '../protocol.js'
import { compareRow, type Row, type Series } from '../report.js'
import { log, type BenchSettings } from '../settings.js'
import { startApple, startReceiver } from '../simulators.js'
import { benchScript, resultOf, runNode } from '../spawn.js'
import { MB, push, rotate } from './rotation.js'

const HOUR = 3_600_000

/**
 * One simulator, rate limits off, holding two seeded histories in separate windows: a small one
 * and a large one. Each read is a fresh process per client, so its peak memory is its own.
 */
export async function history(settings: BenchSettings): Promise<Row[]> {
  const receiver = await startReceiver()
  const { simulator, target } = await startApple(receiver)
  const now = Date.now()
  const small = { startDate: now - 30 * HOUR, endDate: now - 29 * HOUR }
  const large = { startDate: now - 20 * HOUR, endDate: now - 2 * HOUR }
  simulator.seedHistory({ count: settings.historySmall, ...small })
  simulator.seedHistory({ count: settings.historyLarge, ...large })
  const results: { size: 'small' | 'large'; result: HistoryResult }[] = []
  try {
    for (let run = 0; run < settings.historyRuns; run++) {
      for (const client of rotate(CLIENT_KINDS, run)) {
        for (const [size, window, expected] of [
          ['small', small, settings.historySmall],
          ['large', large, settings.historyLarge],
        ] as const) {
          const task: HistoryTask = {
            client,
            // The window's ends are inclusive on the simulator; these bound the seeded records.
            startDate: window.startDate,
            endDate: window.endDate,
            expected,
          }
          const outcome = await runNode(
            benchScript('./workers/history.js'),
            [JSON.stringify(task)],
            {
              nodeArgs: ['--expose-gc'],
              target: { apple: target },
              timeoutMs: 600_000,
            },
          )
          results.push({
            size,
            result: resultOf(outcome, `history ${client} ${size}`) as HistoryResult,
          })
        }
      }
      log(`  history run ${String(run + 1)}/${String(settings.historyRuns)}`)
    }
  } finally {
    await simulator.close()
    await receiver.close()
  }
  return rowsOf(results, settings)
}

function rowsOf(
  results: readonly { size: 'small' | 'large'; result: HistoryResult }[],
  settings: BenchSettings,
): Row[] {
  const rate: Series = {}
  const rssGrowth: Series = {}
  const heapGrowth: Series = {}
  const peakRss: Series = {}
  const retained: Series = {}
  const byClient = (client: ClientKind, size: 'small' | 'large'): HistoryResult[] =>
    results.filter((r) => r.result.client === client && r.size === size).map((r) => r.result)
  for (const client of CLIENT_KINDS) {
    const smalls = byClient(client, 'small')
    const larges = byClient(client, 'large')
    // Run i of the small read against run i of the large one.
    larges.forEach((l, i) => {
      const s = smalls[i]
      push(rate, client, (l.records / l.ms) * 1000)
      push(peakRss, client, l.peak.rss / MB)
      push(retained, client, (l.liveHeapUsed - l.baseline.heapUsed) / MB)
      if (s === undefined) return
      push(rssGrowth, client, (l.peak.rss - s.peak.rss) / MB)
      push(heapGrowth, client, (l.peak.heapUsed - s.peak.heapUsed) / MB)
    })
  }
  const n = (count: number): string => count.toLocaleString('en-US')
  const pages = Math.ceil(settings.historyLarge / 20)
  const under =
    (limit: number) =>
    ({ values }: { values: Row['values'] }): boolean =>
      values.notiprobe !== undefined && values.notiprobe.median <= limit
  return [
    compareRow(
      {
        section: 'History',
        label: `Notification history: ${n(settings.historyLarge)} records (${n(pages)} pages)`,
        unit: 'records/s',
        digits: 0,
        target: 'info',
        note: 'higher is better: a ratio above 1 means notiprobe reads faster',
      },
      rate,
    ),
    compareRow(
      {
        section: 'History',
        label: `Peak RSS reading ${n(settings.historyLarge)} records`,
        unit: 'MiB',
        digits: 1,
        target: '≤ SDK',
      },
      peakRss,
      ({ vsSdk }) => vsSdk !== undefined && vsSdk.median <= 1,
    ),
    compareRow(
      {
        section: 'History',
        label: `Heap still used after ${n(settings.historyLarge)} records and a forced GC, over the start`,
        unit: 'MiB',
        digits: 1,
        target: 'info',
        noRatios: true,
        note: 'what the client retains: near zero means nothing accumulates per record',
      },
      retained,
    ),
    compareRow(
      {
        section: 'History',
        label: `Peak RSS growth, ${n(settings.historySmall)} → ${n(settings.historyLarge)} records`,
        unit: 'MiB',
        digits: 1,
        target: '≤ 8 MiB',
        noRatios: true,
      },
      rssGrowth,
      under(8),
    ),
    compareRow(
      {
        section: 'History',
        label: `Peak heapUsed growth, ${n(settings.historySmall)} → ${n(settings.historyLarge)} records`,
        unit: 'MiB',
        digits: 1,
        target: '≤ 32 MiB',
        noRatios: true,
      },
      heapGrowth,
      under(32),
    ),
  ]
}
