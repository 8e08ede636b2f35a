/**
 * The send-test `context` must reach SailPoint exactly as given, so it has to be plain JSON: no
 * `undefined` (silently dropped by JSON.stringify), no NaN or Infinity (sent as null), no Dates,
 * Maps or class instances (sent as strings or `{}`), no cycles.
 */

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject
export interface JsonObject {
  readonly [key: string]: JsonValue
}

/** Where in the value the problem is, and what it is. */
export interface JsonProblem {
  readonly path: readonly (string | number)[]
  readonly message: string
}

const MAX_DEPTH = 32
/**
 * Values in all, an object shared by several fields counted each time it appears, as
 * JSON.stringify writes it: a few shared objects nested a few levels deep would otherwise make the
 * check and the body grow exponentially.
 */
const MAX_VALUES = 10_000

const JSON_KINDS = 'a string, finite number, boolean, null, array or plain object'

/** The first reason `value` is not a plain JSON object, or undefined when it is one. */
export function jsonObjectProblem(value: unknown): JsonProblem | undefined {
  try {
    if (!isPlainObject(value)) {
      return { path: [], message: `must be a plain JSON object (got ${describe(value)})` }
    }
    return problemIn(value, { ancestors: [], values: 0 })
  } catch {
    // A getter or a Proxy trap threw: what cannot be read cannot be sent as given.
    return { path: [], message: 'could not be read: a getter or a Proxy in it threw' }
  }
}

/** The objects the walk is inside (outermost first), and the values it has seen so far. */
interface Walk {
  readonly ancestors: object[]
  values: number
}

/** Past MAX_VALUES: a problem of the whole value, so no path is built for it. */
const TOO_MANY: JsonProblem = {
  path: [],
  message: `holds more than ${MAX_VALUES} values (an object used in several places counts each time)`,
}

/**
 * Walks `value` below `walk.ancestors`. Runs on every send, so a valid value costs no allocation
 * but that stack: a problem's path is built only once one is found.
 */
function problemIn(value: unknown, walk: Walk): JsonProblem | undefined {
  if (++walk.values > MAX_VALUES) return TOO_MANY
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? undefined
      : { path: [], message: `must be a finite number (got ${String(value)})` }
  }
  if (typeof value !== 'object' || (!Array.isArray(value) && !isPlainObject(value))) {
    return { path: [], message: `must be JSON: ${JSON_KINDS} (got ${describe(value)})` }
  }
  const { ancestors } = walk
  if (ancestors.length >= MAX_DEPTH) {
    return { path: [], message: `nests deeper than ${MAX_DEPTH} levels` }
  }
  if (ancestors.includes(value)) return { path: [], message: 'refers back to itself (a cycle)' }
  ancestors.push(value)
  try {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const problem = problemIn(value[index], walk)
        if (problem !== undefined) return within(index, problem)
      }
    } else {
      for (const key of Object.keys(value)) {
        const problem = problemIn(value[key], walk)
        if (problem !== undefined) return within(key, problem)
      }
    }
    return undefined
  } finally {
    ancestors.pop()
  }
}

function within(key: string | number, problem: JsonProblem): JsonProblem {
  if (problem === TOO_MANY) return problem
  return { path: [key, ...problem.path], message: problem.message }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null
    const name = prototype?.constructor?.name
    return name ? `a ${name}` : 'an object'
  }
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`
}
