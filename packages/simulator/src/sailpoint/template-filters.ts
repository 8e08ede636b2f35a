/** The template fields the listing endpoints filter on. */
export type FilterField = 'key' | 'medium' | 'locale'

/** One `field eq "v"` or `field in ("a","b")` condition; a filter is their conjunction. */
export interface FilterCondition {
  field: FilterField
  values: string[]
}

export class FilterSyntaxError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FilterSyntaxError'
  }
}

const FIELDS: readonly string[] = ['key', 'medium', 'locale']

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'punct'; text: '(' | ')' | ',' }

function tokenize(input: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < input.length) {
    const c = input.charAt(i)
    if (/\s/.test(c)) {
      i++
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c })
      i++
    } else if (c === '"') {
      let text = ''
      i++
      while (i < input.length && input.charAt(i) !== '"') {
        // A backslash escapes the next character, so values may hold quotes.
        if (input.charAt(i) === '\\') i++
        text += input.charAt(i)
        i++
      }
      if (i >= input.length) throw new FilterSyntaxError('unterminated string literal')
      i++
      tokens.push({ kind: 'string', text })
    } else if (/[A-Za-z]/.test(c)) {
      const start = i
      while (i < input.length && /\w/.test(input.charAt(i))) i++
      tokens.push({ kind: 'word', text: input.slice(start, i) })
    } else {
      throw new FilterSyntaxError(`unexpected character ${JSON.stringify(c)} at ${String(i)}`)
    }
  }
  return tokens
}

/**
 * Parses SailPoint's filter subset for notification templates: `key eq "x"`,
 * `key in ("a","b")`, `medium eq "EMAIL"`, `locale eq "en"`, joined with `and`.
 */
export function parseFilters(input: string): FilterCondition[] {
  const tokens = tokenize(input)
  let pos = 0
  const next = (): Token | undefined => tokens[pos++]
  const conditions: FilterCondition[] = []
  for (;;) {
    const field = next()
    if (field?.kind !== 'word' || !FIELDS.includes(field.text)) {
      throw new FilterSyntaxError(
        `expected a field (${FIELDS.join(', ')}), got ${describeToken(field)}`,
      )
    }
    const op = next()
    if (op?.kind !== 'word' || (op.text !== 'eq' && op.text !== 'in')) {
      throw new FilterSyntaxError(
        `expected operator eq or in after ${field.text}, got ${describeToken(op)}`,
      )
    }
    const values: string[] = []
    if (op.text === 'eq') {
      const value = next()
      if (value?.kind !== 'string') {
        throw new FilterSyntaxError(`expected a quoted value, got ${describeToken(value)}`)
      }
      values.push(value.text)
    } else {
      if (next()?.text !== '(') throw new FilterSyntaxError('expected ( after in')
      for (;;) {
        const value = next()
        if (value?.kind !== 'string') {
          throw new FilterSyntaxError(`expected a quoted value, got ${describeToken(value)}`)
        }
        values.push(value.text)
        const sep = next()
        if (sep?.text === ')') break
        if (sep?.text !== ',') throw new FilterSyntaxError('expected , or ) in the in list')
      }
    }
    conditions.push({ field: field.text as FilterField, values })
    const joiner = next()
    if (joiner === undefined) return conditions
    if (joiner.kind !== 'word' || joiner.text !== 'and') {
      throw new FilterSyntaxError(`expected and, got ${describeToken(joiner)}`)
    }
  }
}

function describeToken(token: Token | undefined): string {
  return token === undefined ? 'the end of the filter' : JSON.stringify(token.text)
}

/** Whether a row passes every condition. */
export function matchesFilters(
  row: Readonly<Record<FilterField, string>>,
  conditions: readonly FilterCondition[],
): boolean {
  return conditions.every((c) => c.values.includes(row[c.field]))
}
