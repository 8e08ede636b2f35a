import { appendFileSync } from 'node:fs'

/**
 * Prints a suite's figures in one block, and appends them as a JSON line to the file named by
 * `NOTIPROBE_FIGURES` when it is set (docs/reliability.md is written from that file).
 */
export function reportFigures(suite: string, figures: Readonly<Record<string, unknown>>): void {
  const body = JSON.stringify(figures, null, 2)
  process.stdout.write(`\n── figures: ${suite} ──\n${body}\n`)
  const file = process.env.NOTIPROBE_FIGURES
  if (file !== undefined && file !== '') {
    appendFileSync(file, `${JSON.stringify({ suite, at: new Date().toISOString(), figures })}\n`)
  }
}

/** Adds one to `counts[key]`. */
export function tally(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by
}

/** A copy of `counts` with its keys sorted, for stable output. */
export function sorted(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)))
}
