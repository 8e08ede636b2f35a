/**
 * Reads one window of notification history with one client and reports records per second and
 * the peak memory of this process (RSS and V8 heap used), sampled every few milliseconds and every
 * ten pages. Nothing is kept: each record is counted and dropped, as a streaming consumer would.
 */
import { loadAppleClient } from '../clients/load.js'
import { emitResult, type HistoryResult, type HistoryTask } from '../protocol.js'
import { appleTarget } from '../target.js'

const task = JSON.parse(process.argv[2] ?? '{}') as HistoryTask

const gc = (globalThis as { gc?: () => void }).gc
const client = (await loadAppleClient(task.client))(appleTarget())
gc?.()
const first = process.memoryUsage()
const baseline = { rss: first.rss, heapUsed: first.heapUsed }
const peak = { ...baseline }
const sample = (): void => {
  const { rss, heapUsed } = process.memoryUsage()
  if (rss > peak.rss) peak.rss = rss
  if (heapUsed > peak.heapUsed) peak.heapUsed = heapUsed
}
const timer = setInterval(sample, 5)
let records = 0
const started = performance.now()
try {
  await client.history({ startDate: task.startDate, endDate: task.endDate }, () => {
    records++
    if (records % 200 === 0) sample()
  })
} finally {
  clearInterval(timer)
  client.close()
}
const ms = performance.now() - started
sample()
gc?.()
const liveHeapUsed = process.memoryUsage().heapUsed
if (records !== task.expected) {
  throw new Error(`read ${String(records)} records, expected ${String(task.expected)}`)
}
const result: HistoryResult = { client: task.client, records, ms, baseline, peak, liveHeapUsed }
emitResult(result)
