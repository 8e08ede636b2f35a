/**
 * The longest timer Node.js can set (about 24.8 days); a longer one fires at once. The most any
 * `timeoutMs` or interval may be.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** A remaining time as a call's `timeoutMs`: whole milliseconds, at least 1, at most a timer. */
export function timeoutFor(remainingMs: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(remainingMs)))
}
