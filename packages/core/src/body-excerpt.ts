/** Characters of a body kept in a message: enough to recognise a proxy's error page. */
const EXCERPT_CHARACTERS = 200

/** Elements whose content is never text a person would read. */
const HIDDEN = new Set(['script', 'style'])

/**
 * A short, single-line excerpt of a body that is not the vendor's JSON (a proxy's HTML 502): tags
 * and script or style content dropped, white space collapsed, cut at 200 characters. Undefined when
 * nothing is left. One pass over the text, however hostile.
 */
export function bodyExcerpt(body: string): string | undefined {
  const line = textOf(body).replace(/\s+/g, ' ').trim()
  if (line === '') return undefined
  return line.length > EXCERPT_CHARACTERS ? `${line.slice(0, EXCERPT_CHARACTERS)}…` : line
}

function textOf(html: string): string {
  const [before = '', ...tags] = html.split('<')
  const out = [before]
  let hiddenBy: string | undefined
  for (const part of tags) {
    const end = part.indexOf('>')
    const tag = /^(\/?)([a-z]+)/i.exec(end === -1 ? part : part.slice(0, end))
    const name = tag?.[2]?.toLowerCase() ?? ''
    const closing = tag?.[1] === '/'
    if (hiddenBy !== undefined) {
      if (closing && name === hiddenBy) hiddenBy = undefined
      else continue
    } else if (!closing && HIDDEN.has(name)) {
      hiddenBy = name
      continue
    }
    if (end !== -1) out.push(' ', part.slice(end + 1))
  }
  return out.join('')
}
