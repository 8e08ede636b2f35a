import { z } from './zod.js'
import { expected } from './validation.js'

/**
 * A text field, trimmed, that must match `pattern`. `what` names it when it is missing or not text;
 * `rule` says what is allowed when it does not match (never the value given: it may be a secret).
 */
export function patternText(what: string, pattern: RegExp, rule: string) {
  return z.string(expected(what)).check(z.trim(), z.regex(pattern, { error: rule }))
}
