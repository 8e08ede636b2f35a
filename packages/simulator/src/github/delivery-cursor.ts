/**
 * The `cursor` of the deliveries list. GitHub's format is unconfirmed and clients must treat it
 * as opaque; the simulator's is base64url of `d1:<id>`, the newest delivery the next page starts
 * at, so a page stays stable while new deliveries arrive at the top.
 */
export function encodeCursor(fromId: number): string {
  return Buffer.from(`d1:${String(fromId)}`, 'utf8').toString('base64url')
}

/** The id a cursor starts at, or undefined when the cursor is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  if (cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined
  const match = /^d1:(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (match?.[1] === undefined) return undefined
  const id = Number(match[1])
  return Number.isSafeInteger(id) ? id : undefined
}
