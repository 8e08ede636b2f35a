/** Apple's `responseTimes` object: milliseconds, whole numbers. */
export interface ResponseTimes {
  average: number
  p50: number
  p90: number
  p95: number
  p99: number
}

/** Nearest-rank percentile of sorted samples (0 when there are none). */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0
}

export function summarizeResponseTimes(samples: readonly number[]): ResponseTimes {
  const sorted = [...samples].sort((a, b) => a - b)
  const total = sorted.reduce((sum, value) => sum + value, 0)
  return {
    average: sorted.length === 0 ? 0 : Math.round(total / sorted.length),
    p50: Math.round(percentile(sorted, 50)),
    p90: Math.round(percentile(sorted, 90)),
    p95: Math.round(percentile(sorted, 95)),
    p99: Math.round(percentile(sorted, 99)),
  }
}
