import { expected, patternText } from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'

/** The kit's message rule: what is expected, never the value given (it may be a secret). */
export { expected } from '@notiprobe/core/adapter'

/**
 * A user or organization login: letters, digits, hyphens (and the underscore of managed-user
 * logins such as `octocat_acme`), starting with a letter or digit. Nothing here can be `/`, `.`,
 * `%` or white space, so no login can change the path it is put in.
 */
export const LOGIN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/

/** A repository name: letters, digits, `.`, `_`, `-`; never `.` or `..` (path traversal). */
export const REPOSITORY_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/

export const loginSchema = (what: string) =>
  patternText(
    what,
    LOGIN,
    `expected ${what}: up to 100 letters, digits, hyphens or underscores, starting with a letter or digit`,
  )

export const repositoryNameSchema = patternText(
  'the repository name, e.g. hello-world',
  REPOSITORY_NAME,
  'expected the repository name: up to 100 letters, digits, ".", "_" or "-" (not "." or ".."), without the owner',
)

export const millisecondsSchema = (min: number, max: number) =>
  z
    .number(expected('a number of milliseconds'))
    .check(
      z.int({ error: 'expected a whole number of milliseconds' }),
      z.gte(min, { error: `expected at least ${min} milliseconds` }),
      z.lte(max, { error: `expected at most ${max} milliseconds` }),
    )

const isFunction = (value: unknown): boolean => typeof value === 'function'

export const functionSchema = <T = (...args: never[]) => unknown>(what: string) =>
  z.custom<T>(isFunction, { error: `expected ${what}` })

/**
 * A value that comes in several shapes, told apart by its keys (`{token}` or an App; a repository,
 * organization or App hook), so that each error names the field at fault rather than "no union
 * member matched". `shapes` describes them all for a value that is not an object.
 */
export function oneOfShapes<T>(shapes: string, choose: (value: object) => z.ZodType<T>) {
  return z.pipe(
    z.unknown(),
    z.transform((value, ctx): T => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        ctx.addIssue({
          code: 'custom',
          input: value,
          message: value === undefined ? `is required (${shapes})` : `expected ${shapes}`,
        })
        return z.NEVER
      }
      const result = z.safeParse(choose(value), value)
      if (result.success) return result.data
      for (const issue of result.error.issues) ctx.addIssue({ ...issue })
      return z.NEVER
    }),
  )
}
