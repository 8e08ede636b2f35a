/**
 * Text from outside (a vendor's message, a template name, a file) must not drive the terminal: an
 * escape sequence in it could recolour the screen, move the cursor over earlier lines, or write to
 * the clipboard (OSC 52). These make control characters visible instead.
 */

/** C0 and C1 controls, DEL, and the Unicode controls that reorder text (bidi overrides). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** Our own colour sequences (SGR), kept by `terminalSafe`; every other control is made visible. */
const SGR_OR_CONTROL =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-9;]{0,32}m|[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function show(char: string): string {
  return NAMED[char] ?? `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`
}

/** A text that came from outside, on one line, every control character shown as an escape. */
export function visible(text: string): string {
  return text.replace(CONTROL, show)
}

/**
 * A line the CLI writes to a terminal: line breaks and its own colours kept, every other control
 * character made visible. The last line of defence; vendor text is also passed through `visible`
 * where it is put into a line, so that it cannot even fake a colour.
 */
export function terminalSafe(text: string): string {
  return text.replace(SGR_OR_CONTROL, (match) => (match.length > 1 ? match : show(match)))
}
