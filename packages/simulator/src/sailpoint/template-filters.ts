/** The template fields the listing endpoints filter on. */
export type FilterField = 'key' | 'medium' | 'locale' | 'name' | 'description' | 'id'

export type FilterOperator = 'eq' | 'in' | 'sw'

/** Which operators each field takes on one list; a field that is absent cannot be filtered. */
export type FilterRules = Readonly<Partial<Record<FilterField, readonly FilterOperator[]>>>

/**
 * The customised list (`/notification-templates`): key eq|in, medium eq, locale eq, and name,
 * description and id eq|sw.
 */
export const CUSTOMIZED_FILTERS: FilterRules = {
  key: ['eq', 'in'],
  medium: ['eq'],
  locale: ['eq'],
  name: ['eq', 'sw'],
  description: ['eq', 'sw'],
  id: ['eq', 'sw'],
}

/** The defaults list (`/notification-template-defaults`): key eq|in|sw, medium and locale eq|sw. */
export const DEFAULT_FILTERS: FilterRules = {
  key: ['eq', 'in', 'sw'],
  medium: ['eq', 'sw'],
  locale: ['eq', 'sw'],
}

/**
 * One `field eq "v"`, `field in ("a","b")` or `field sw "prefix"` condition; a filter is their
 * conjunction.
 */
export interface FilterCondition {
  field: FilterField
  operator: FilterOperator
  values: string[]
}

export class FilterSyntaxError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FilterSyntaxError'
  }
}

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
 * Parses SailPoint's filter subset for notification templates: `key eq "x"`, `key in ("a","b")`,
 * `key sw "cloud_"`, joined with `and`; a field or operator the list does not take is an error.
 */
export function parseFilters(input: string, rules: FilterRules): FilterCondition[] {
  const fields = Object.keys(rules)
  const tokens = tokenize(input)
  let pos = 0
  const next = (): Token | undefined => tokens[pos++]
  const conditions: FilterCondition[] = []
  for (;;) {
    const field = next()
    if (field?.kind !== 'word' || !fields.includes(field.text)) {
      throw new FilterSyntaxError(
        `expected a field (${fields.join(', ')}), got ${describeToken(field)}`,
      )
    }
    const allowed = rules[field.text as FilterField] ?? []
    const op = next()
    if (op?.kind !== 'word' || !(allowed as readonly string[]).includes(op.text)) {
      throw new FilterSyntaxError(
        `expected operator ${allowed.join(' or ')} after ${field.text}, got ${describeToken(op)}`,
      )
    }
    const values: string[] = []
    if (op.text !== 'in') {
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
    conditions.push({
      field: field.text as FilterField,
      operator: op.text as FilterOperator,
      values,
    })
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
  row: Readonly<Partial<Record<FilterField, string | null>>>,
  conditions: readonly FilterCondition[],
): boolean {
  return conditions.every((c) => {
    const value = row[c.field] ?? ''
    return c.operator === 'sw'
      ? c.values.some((prefix) => value.startsWith(prefix))
      : c.values.includes(value)
  })
}
