import { formatDuration } from '../duration.js'
import type { Output } from './output.js'

/** One line of a final report: what was checked and what proves it. */
export interface CheckRow {
  readonly vendor: string
  readonly check: string
  /** delivered, accepted, PASS, found, failed, error ... */
  readonly state: string
  readonly ok: boolean
  readonly evidence: string
  readonly durationMs: number
}

/** The closing table of `demo` and `run`: vendor, check, state, evidence, time. */
export async function printReport(output: Output, rows: readonly CheckRow[]): Promise<void> {
  const c = output.color
  await output.table(
    ['vendor', 'check', 'state', 'evidence', 'time'],
    rows.map((row) => [
      row.vendor,
      row.check,
      row.ok ? c.green(`✔ ${row.state}`) : c.red(`✖ ${row.state}`),
      row.evidence,
      formatDuration(row.durationMs),
    ]),
  )
}
