/**
 * What `apple verify` reads, recognised by its shape: a signed payload (a JWS), a notification
 * body `{"signedPayload": ...}`, or notiprobe's own `--json` output: `apple status` (one result),
 * `demo`/`run` (a report), `apple history` (NDJSON, one notification a line) and `listen` (NDJSON,
 * one event a line). Input is bounded by its reader; each step here is linear in its size.
 */

/** One signed payload to verify, or one the input already says was refused. */
export type PayloadItem =
  | { readonly source: string; readonly signedPayload: string }
  | { readonly source: string; readonly refused: string }

/** A problem with the input as a whole, before anything is verified. */
export class UnreadableInput extends Error {}

const EXPECTED =
  'Expected a signedPayload (a JWS: xxx.yyy.zzz), {"signedPayload": "..."}, or the --json output of notiprobe apple status, apple history, listen, demo or run.'

export { EXPECTED as EXPECTED_VERIFY_INPUT }

/** The payloads `text` holds, in order, each named by where it was found. */
export function payloadsIn(text: string, source: string): PayloadItem[] {
  const trimmed = text.trim()
  if (trimmed === '') throw new UnreadableInput(`${source} is empty.`)
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
    // Not JSON: the JWS itself, whose every check is the verifier's.
    return [{ source, signedPayload: trimmed }]
  }
  const whole = parseJson(trimmed)
  if (whole.ok) return payloadsOfDocument(whole.value, source)
  // NDJSON: one document a line (apple history, listen).
  const lines = trimmed.split('\n')
  if (lines.length === 1)
    throw new UnreadableInput(`${source} starts like JSON but is not valid JSON.`)
  const items: PayloadItem[] = []
  lines.forEach((line, index) => {
    if (line.trim() === '') return
    const where = `${source}, line ${index + 1}`
    const parsed = parseJson(line)
    if (!parsed.ok) {
      throw new UnreadableInput(
        `${where} is not valid JSON (NDJSON holds one JSON document a line).`,
      )
    }
    items.push(...payloadsOfDocument(parsed.value, where, true))
  })
  if (items.length === 0) throw new UnreadableInput(`${source} holds no signed payload.`)
  return items
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

/** The payloads of one document; `inStream`: a line of NDJSON, where events without one are fine. */
function payloadsOfDocument(doc: unknown, source: string, inStream = false): PayloadItem[] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UnreadableInput(
      `${source} is JSON ${Array.isArray(doc) ? 'array' : typeof doc}, not an object.`,
    )
  }
  const record = doc as Record<string, unknown>
  if (typeof record.signedPayload === 'string') {
    // A notification body, an `apple history` line, a `listen` notification line.
    return [{ source: named(source, record), signedPayload: record.signedPayload.trim() }]
  }
  if (record.type === 'listening' && inStream) return []
  if (record.type === 'refused') {
    return [{ source, refused: `refused on arrival: ${messageOf(record.error)}` }]
  }
  if (Array.isArray(record.results)) {
    // `demo` or `run`: the Apple results that hold Apple's signed payload.
    return record.results.flatMap((result: unknown, index) => {
      const name =
        isObject(result) && typeof result.name === 'string' ? result.name : `${index + 1}`
      const jws = resultPayload(result)
      return jws === undefined ? [] : [{ source: `${source}, result ${name}`, signedPayload: jws }]
    })
  }
  if (typeof record.state === 'string' && isObject(record.timings)) {
    // `apple status` or `apple test --wait`: one result.
    const jws = resultPayload(record)
    if (jws !== undefined) return [{ source, signedPayload: jws }]
    throw new UnreadableInput(
      `${source} is a ${String(record.vendor)} result in state ${record.state} with no signed payload (Apple sends one once the notification is delivered).`,
    )
  }
  if (isObject(record.error)) {
    throw new UnreadableInput(
      `${source} is a notiprobe error report, not a notification: ${messageOf(record.error)}`,
    )
  }
  throw new UnreadableInput(`${source} is JSON without a "signedPayload" string.`)
}

/** Apple's `signedPayload` in a result's raw status answer, where it has one. */
function resultPayload(result: unknown): string | undefined {
  if (!isObject(result) || result.vendor !== 'apple' || !isObject(result.details)) return undefined
  const raw = result.details.raw
  return isObject(raw) && typeof raw.signedPayload === 'string' ? raw.signedPayload : undefined
}

/** "standard input, line 3 (DID_RENEW 9f2c…)" when the line says what it is. */
function named(source: string, record: Record<string, unknown>): string {
  const uuid =
    record.notificationUUID ??
    (isObject(record.notification) ? record.notification.notificationUUID : undefined)
  return typeof uuid === 'string' && uuid.length <= 64 ? `${source} (${uuid})` : source
}

function messageOf(error: unknown): string {
  return isObject(error) && typeof error.message === 'string' ? error.message : 'no reason given'
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
