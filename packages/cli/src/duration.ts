const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i

/**
 * Parses `90s`, `2m`, `500ms`, `1.5h`, `7d`; a bare number is seconds. Undefined when `text` is not
 * a duration.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim())
  if (!match?.[1]) return undefined
  const unit = (match[2]?.toLowerCase() ?? 's') as keyof typeof UNIT_MS
  const ms = Math.round(Number(match[1]) * UNIT_MS[unit])
  return Number.isFinite(ms) ? ms : undefined
}

/**
 * A point in time given as a date (`2026-01-31`, `2026-01-31T10:00:00Z`), epoch milliseconds, or a
 * duration before `now` (`24h` means 24 hours ago). Undefined when it is none of these.
 */
export function parsePointInTime(text: string, now: number): number | undefined {
  const trimmed = text.trim()
  if (/^\d{12,}$/.test(trimmed)) return Number(trimmed)
  const duration = parseDuration(trimmed)
  if (duration !== undefined && /[a-z]$/i.test(trimmed)) return now - duration
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined
  const ms = Date.parse(trimmed)
  return Number.isNaN(ms) ? undefined : ms
}

/** `850 ms`, `4.2 s`, `3 min 5 s`: short and exact enough for a progress line or a table. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.round((ms % 60_000) / 1000)
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`
}
