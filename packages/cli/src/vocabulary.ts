/**
 * The adapters speak to programs, in their option and method names (`apiVersion 'v1'`,
 * `listTemplates()`, `timeoutMs`); a person at the command line knows the same things as options,
 * variables and commands. This table says each phrase the way the CLI user would, in one place.
 * Phrases are matched whole, so a message the table does not know is left as it is.
 */
const PHRASES: readonly (readonly [RegExp, string])[] = [
  [/\blistTemplates\(\)/g, '`notiprobe sailpoint templates`'],
  [/\bgetPerformanceTestResults\b/g, '`notiprobe apple perf-test --request-id <id> --wait`'],
  [/\bapiVersion '(beta|v1)'/g, '--api-version $1 (SAIL_API_VERSION)'],
  [
    /\b[Cc]heck tenant \(or baseUrl\) and tokenUrl\b/g,
    'check SAIL_TENANT (or SAIL_BASE_URL, --base-url) and SAIL_TOKEN_URL',
  ],
  [/\btenant \(or baseUrl, now /g, 'SAIL_TENANT (or SAIL_BASE_URL, --base-url; now '],
  [/\bCheck tokenUrl \(now /g, 'Check SAIL_TOKEN_URL (now '],
  [/\bRaise timeoutMs\b/g, 'Raise --timeout'],
]

/** `message` in the command line's words. */
export function inCliTerms(message: string): string {
  let result = message
  for (const [phrase, replacement] of PHRASES) result = result.replace(phrase, replacement)
  return result
}
