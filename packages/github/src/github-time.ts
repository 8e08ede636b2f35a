/** GitHub did not exist before 2008; a time past 2200 is no time GitHub stamped. */
const EARLIEST = Date.UTC(2008, 0, 1)
const LATEST = Date.UTC(2200, 0, 1)
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/

export const GITHUB_TIME_RULE = 'expected an ISO 8601 date-time between 2008 and 2200'

/** Epoch milliseconds of a time GitHub could have stamped, else undefined. */
export function githubEpochMs(time: number): number | undefined {
  return time >= EARLIEST && time < LATEST ? time : undefined
}

/** An ISO 8601 date-time, as GitHub writes them, between 2008 and 2200. */
export function isGitHubTime(value: string): boolean {
  if (!ISO_DATE_TIME.test(value)) return false
  return isPlainlyValid(value) || githubEpochMs(Date.parse(value)) !== undefined
}

/**
 * Whether a string of ISO_DATE_TIME's shape is a time in range without asking `Date.parse`, which
 * costs more than the rest of a delivery's checks (up to 100 dates a page, page after page). Only
 * what `Date.parse` surely accepts passes: years 2009 to 2198 (no offset reaches 2008 or 2200), days
 * up to 28, hours to 23, offsets to 23:59. Anything else (the 31st, a leap second, 24:00) is left
 * to `Date.parse`, so the answer is always the one it gives.
 */
function isPlainlyValid(value: string): boolean {
  const year = number(value, 0, 4)
  const month = number(value, 5, 2)
  const day = number(value, 8, 2)
  if (year < 2009 || year > 2198 || month < 1 || month > 12 || day < 1 || day > 28) return false
  if (number(value, 11, 2) > 23 || number(value, 14, 2) > 59 || number(value, 17, 2) > 59) {
    return false
  }
  if (value.endsWith('Z')) return true
  const offset = value.length - 5
  return number(value, offset, 2) <= 23 && number(value, offset + 3, 2) <= 59
}

/** The decimal number `length` digits long at `start` (the regular expression made them digits). */
function number(value: string, start: number, length: number): number {
  let result = 0
  for (let index = start; index < start + length; index++) {
    result = result * 10 + value.charCodeAt(index) - 0x30
  }
  return result
}
