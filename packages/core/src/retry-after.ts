/**
 * `Retry-After` in every form vendors send: delay in seconds (RFC 9110), an HTTP date (RFC 9110),
 * or a UNIX time in milliseconds (Apple). Numbers are told apart by magnitude: below 1e9 they are
 * seconds to wait, from 1e12 epoch milliseconds, in between epoch seconds.
 */

const EPOCH_SECONDS_FROM = 1e9
const EPOCH_MILLISECONDS_FROM = 1e12

/** Milliseconds to wait from `now`, or undefined when the header is absent or unreadable. */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number,
): number | undefined {
  const value = header?.trim()
  if (!value) return undefined
  if (/^\d+(\.\d+)?$/.test(value)) {
    const number = Number(value)
    if (number >= EPOCH_MILLISECONDS_FROM) return Math.max(0, Math.ceil(number - now))
    if (number >= EPOCH_SECONDS_FROM) return Math.max(0, Math.ceil(number * 1000 - now))
    return Math.ceil(number * 1000)
  }
  // An HTTP date names its month; Date.parse alone would also take '-5' as a year.
  const date = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
