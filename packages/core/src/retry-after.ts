/**
 * `Retry-After` in every form vendors send: delay in seconds (RFC 9110), an HTTP date (RFC 9110),
 * or a UNIX time in milliseconds (Apple). Numbers are told apart by magnitude: below 1e9 they are
 * seconds to wait, from 1e12 epoch milliseconds, in between epoch seconds.
 */

const EPOCH_SECONDS_FROM = 1e9
const EPOCH_MILLISECONDS_FROM = 1e12
/** The last instant a JavaScript Date can hold (ECMA-262: 8.64e15 ms after the epoch). */
const LAST_DATE_MS = 8.64e15
/** Longer than any date or number a vendor sends: anything longer is not read at all. */
const MAX_HEADER_CHARS = 64

/**
 * Milliseconds to wait from `now`, or undefined when the header is absent, unreadable or names a
 * time no Date can hold (`Retry-After: 99999999999999999`): such a wait is no wait a vendor meant,
 * and keeping it would block the endpoint until an impossible time.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number,
): number | undefined {
  const value = header?.trim()
  if (!value || value.length > MAX_HEADER_CHARS) return undefined
  if (/^\d+(\.\d+)?$/.test(value)) {
    const number = Number(value)
    const at =
      number >= EPOCH_MILLISECONDS_FROM
        ? number
        : number >= EPOCH_SECONDS_FROM
          ? number * 1000
          : now + number * 1000
    return inDateRange(at) ? Math.max(0, Math.ceil(at - now)) : undefined
  }
  // An HTTP date names its month; Date.parse alone would also take '-5' as a year.
  const date = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN
  if (!inDateRange(date)) return undefined
  return Math.max(0, date - now)
}

function inDateRange(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= LAST_DATE_MS
}
