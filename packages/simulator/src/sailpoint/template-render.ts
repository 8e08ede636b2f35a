/** Result of filling a template string from a context. */
export interface Rendered {
  text: string
  /** References with no value, left as written (what Velocity does). */
  unresolved: string[]
}

// `${a.b}` or `$a.b`; a trailing dot is punctuation, not part of the reference.
const REFERENCE = /\$\{([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\}|\$([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)/g

/** Fills Velocity-style `$name`, `${name}` and dotted `${a.b}` references from `context`. */
export function renderTemplate(
  template: string,
  context: Readonly<Record<string, unknown>>,
): Rendered {
  const unresolved: string[] = []
  const text = template.replace(REFERENCE, (whole, braced?: string, bare?: string) => {
    const path = braced ?? bare ?? ''
    const value = lookup(context, path)
    if (value === undefined || value === null) {
      if (!unresolved.includes(path)) unresolved.push(path)
      return whole
    }
    return typeof value === 'string' ? value : JSON.stringify(value)
  })
  return { text, unresolved }
}

function lookup(context: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = context
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, part)) {
      return undefined
    }
    current = (current as Record<string, unknown>)[part]
  }
  return current
}
