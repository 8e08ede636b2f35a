/**
 * `pnpm bench`: notiprobe against the official SDKs and raw node:http, side by side on the
 * simulators, as one table of ratios. `--smoke` runs everything tiny (CI); `--only <workload>`
 * picks workloads; `--runs <n>` overrides the number of runs; `--update-docs` writes the table
 * into docs/benchmarks.md; `--help` lists them (`args.ts`).
 */
import { parseBenchArgs, UsageError, USAGE } from './args.js'
import { describeMachine, loadAverage } from './machine.js'
import { updateDocs, writeResults, type BenchReport } from './output.js'
import { renderNotes, renderTable, type Row } from './report.js'
import { log, settingsFor } from './settings.js'
import { coldStart } from './workloads/cold-start.js'
import { demoConfirmation, fastConfirmation } from './workloads/confirmation.js'
import { history } from './workloads/history.js'
import { installedSize } from './workloads/installed-size.js'
import { longRuns } from './workloads/long-run.js'
import { perCall } from './workloads/per-call.js'

let args
try {
  args = parseBenchArgs(process.argv.slice(2))
} catch (error) {
  if (!(error instanceof UsageError)) throw error
  process.stderr.write(`bench: ${error.message}\nRun with --help for the options.\n`)
  process.exit(2)
}
if (args.help) {
  process.stdout.write(USAGE)
  process.exit(0)
}
const settings = settingsFor(args.smoke, args.runs, args.only)
const wanted = (name: string): boolean => settings.only === undefined || settings.only.has(name)

const started = performance.now()
const machine = describeMachine()
const extra: Record<string, unknown> = {}
const sections: Row[][] = []

// Timing-sensitive workloads one at a time, the CPU-heavy ones first.
if (wanted('per-call')) {
  log('per-call cost')
  sections.push(await perCall(settings))
}
if (wanted('cold-start')) {
  log('cold start')
  sections.push(await coldStart(settings))
}
if (wanted('size')) {
  log('installed size')
  const size = installedSize()
  extra.installedPackages = Object.fromEntries(
    Object.entries(size.closures).map(([app, c]) => [
      app,
      c.packages.map((p) => `${p.id} ${String(p.bytes)}`),
    ]),
  )
  sections.push(size.rows)
}
// The long run (ten sends a second) and the demo's confirmations (a few requests, 1 s apart)
// wait far more than they compute and report counts and gaps of seconds, not CPU-bound times:
// they run in the background, each on simulators of its own, while the history reads run
// (whose memory figures they cannot touch).
const background = Promise.all([
  wanted('confirmation') ? demoConfirmation(settings) : [],
  wanted('long-run') ? longRuns(settings) : [],
])
// Awaited below; until then a failure must not count as unhandled.
background.catch(() => undefined)
if (wanted('history')) {
  log('history')
  sections.push(await history(settings))
}
const [demo, long] = await background
if (wanted('confirmation')) {
  log('time to confirmation')
  sections.push([...demo, ...(await fastConfirmation(settings))])
}
sections.push(long)

const rows = sections.flat()
machine.loadAtEnd = loadAverage()
const command = `pnpm bench${process.argv.slice(2).length > 0 ? ` ${process.argv.slice(2).join(' ')}` : ''}`
const report: BenchReport = {
  date: new Date().toISOString(),
  command: command.replace(/ --update-docs/, ''),
  durationSeconds: (performance.now() - started) / 1000,
  machine,
  rows,
  extra,
}
process.stdout.write(`\n${renderTable(rows)}\n`)
const notes = renderNotes(rows)
if (notes !== '') process.stdout.write(`\n${notes}\n`)
const missed = rows.filter((row) => row.met === false)
process.stdout.write(
  `\n${String(rows.filter((r) => r.met === true).length)} targets met, ${String(missed.length)} missed; ${report.durationSeconds.toFixed(0)} s.\n`,
)
log(`results: ${await writeResults(report)}`)
if (args.updateDocs) log(`updated ${await updateDocs(report)}`)
