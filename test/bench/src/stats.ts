/** Median of several runs, and their spread: what every figure in the table is made of. */
export interface Summary {
  readonly median: number
  readonly min: number
  readonly max: number
  readonly runs: number
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN, runs: 0 }
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: values.length }
}

/** Ratio of two series run by run (paired: run i of one with run i of the other). */
export function pairedRatios(
  numerator: readonly number[],
  denominator: readonly number[],
): number[] {
  const n = Math.min(numerator.length, denominator.length)
  return Array.from({ length: n }, (_, i) => numerator[i] / denominator[i])
}
