import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Machine } from './machine.js'
import { renderNotes, renderTable, type Row } from './report.js'
import { REPO_ROOT } from './settings.js'

export interface BenchReport {
  readonly date: string
  readonly command: string
  readonly durationSeconds: number
  readonly machine: Machine
  readonly rows: readonly Row[]
  readonly extra: Record<string, unknown>
}

const START = '<!-- bench:results:start -->'
const END = '<!-- bench:results:end -->'

/** The part of docs/benchmarks.md that each `--update-docs` run replaces. */
export function renderResults(report: BenchReport): string {
  const notes = renderNotes(report.rows)
  return [
    `Measured ${report.date} with \`${report.command}\` (${report.durationSeconds.toFixed(0)} s).`,
    '',
    `Machine: ${report.machine.nproc} CPUs (\`nproc\`), ${report.machine.cpu}, ${report.machine.memory}, Node ${report.machine.node} on ${report.machine.platform}. Load average (1, 5, 15 min) ${report.machine.loadAtStart} at the start and ${report.machine.loadAtEnd ?? '?'} at the end: this machine is shared, which is why every figure is a ratio measured side by side.`,
    '',
    '```',
    '$ free -h',
    report.machine.freeH,
    '```',
    '',
    renderTable(report.rows),
    ...(notes === '' ? [] : ['', notes]),
  ].join('\n')
}

async function format(text: string, path: string): Promise<string> {
  const prettier = await import('prettier')
  const options = (await prettier.resolveConfig(path)) ?? {}
  return prettier.format(text, { ...options, filepath: path })
}

async function write(path: string, text: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, await format(text, path))
}

/** test/bench/results/latest.{json,md}: the last run, kept out of git. */
export async function writeResults(report: BenchReport): Promise<string> {
  const dir = join(REPO_ROOT, 'test/bench/results')
  await write(join(dir, 'latest.json'), JSON.stringify(report, null, 2))
  await write(join(dir, 'latest.md'), `# Latest benchmark run\n\n${renderResults(report)}\n`)
  return join(dir, 'latest.md')
}

/** Replaces the results section of docs/benchmarks.md, leaving the method and findings as written. */
export async function updateDocs(report: BenchReport): Promise<string> {
  const path = join(REPO_ROOT, 'docs/benchmarks.md')
  const doc = readFileSync(path, 'utf8')
  const start = doc.indexOf(START)
  const end = doc.indexOf(END)
  if (start === -1 || end < start) throw new Error(`${path} has no ${START} … ${END} section`)
  const updated = `${doc.slice(0, start + START.length)}\n\n${renderResults(report)}\n\n${doc.slice(end)}`
  await write(path, updated)
  return path
}
