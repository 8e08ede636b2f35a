import type { IncomingMessage } from 'node:http'
import { readBody } from '../common/index.js'

/** Apple's request bodies are small; anything bigger is a client bug. */
const BODY_LIMIT_BYTES = 64 * 1024

/** The parsed JSON body (`undefined` when empty), or `ok: false` when it does not parse. */
export async function readJsonBody(
  req: IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const raw = await readBody(req, BODY_LIMIT_BYTES)
  if (raw.length === 0) return { ok: true, value: undefined }
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) as unknown }
  } catch {
    return { ok: false }
  }
}
