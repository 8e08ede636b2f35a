/** Longest excerpt of a given string a message repeats. */
const MAX_SHOWN_CHARS = 80

/**
 * A value the caller gave, as a refusal may repeat it: a string quoted (cut short), a number or a
 * boolean as is, anything else by its kind. Never throws, unlike JSON.stringify, which cannot show
 * a BigInt and runs an object's own toJSON.
 */
export function showGiven(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(
      value.length > MAX_SHOWN_CHARS ? `${value.slice(0, MAX_SHOWN_CHARS)}…` : value,
    )
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === undefined) return 'undefined'
  return kindOf(value)
}

/** What kind of value was given, never the value: `null`, `an array`, `an object`, `a bigint`. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}
