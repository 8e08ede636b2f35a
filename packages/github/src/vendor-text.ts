/** The most of any vendor-chosen text that reaches a message. */
export const MAX_VENDOR_TEXT = 300

/**
 * Vendor text made safe to print: only the first few kilobytes read, markup tags dropped, control
 * and bidirectional-format characters (terminal escapes, line injection, RTL tricks) made
 * visible as `\u{…}`, white space collapsed, cut to `max` characters. Linear in the input.
 */
export function vendorText(text: string, max = MAX_VENDOR_TEXT): string | undefined {
  const line = text
    .slice(0, max * 8)
    .replace(/<[^<>]{0,200}>/g, ' ')
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(
      /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
      (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`,
    )
    .trim()
  if (line === '') return undefined
  return line.length > max ? `${line.slice(0, max)}…` : line
}
