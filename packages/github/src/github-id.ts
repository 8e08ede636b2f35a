import { z } from '@notiprobe/core/zod'

/**
 * GitHub's hook, delivery, installation and app ids are int64. They are kept as decimal strings:
 * exact past 2^53 (where a JSON number silently loses digits), printable with JSON.stringify (a
 * bigint throws there), and usable in a path as they are.
 */
export type GitHubId = string

const INT64_MAX = 9_223_372_036_854_775_807n
const DECIMAL = /^[0-9]{1,19}$/

/** A positive int64 from a number, a bigint or a decimal string, as its canonical decimal string. */
export function toGitHubId(value: unknown): GitHubId | undefined {
  let big: bigint
  if (typeof value === 'number') {
    // Every safe integer is below INT64_MAX: no bigint needed (ids are read 30 to a page).
    return Number.isSafeInteger(value) && value >= 1 ? String(value) : undefined
  } else if (typeof value === 'bigint') {
    big = value
  } else if (typeof value === 'string' && DECIMAL.test(value)) {
    big = BigInt(value)
  } else {
    return undefined
  }
  return big >= 1n && big <= INT64_MAX ? big.toString() : undefined
}

/** An id given by a caller: a positive whole number, a bigint, or its decimal digits. */
export function githubIdSchema(what: string) {
  return z.pipe(
    z.unknown(),
    z.transform((value, ctx): GitHubId => {
      const id = toGitHubId(typeof value === 'string' ? value.trim() : value)
      if (id !== undefined) return id
      ctx.addIssue({
        code: 'custom',
        input: value,
        message:
          value === undefined
            ? `is required (${what}, a positive whole number)`
            : `expected ${what}: a positive whole number below 2^63, or its decimal digits`,
      })
      return z.NEVER
    }),
  )
}
