import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'

/** Where an iteration over history stands, carried from one page to the next inside the token. */
export interface HistoryCursor {
  /** The request body the iteration started with (see `checkHistoryRequest`). */
  fingerprint: string
  /** The clamped end date of the first page, so later pages see the same window. */
  endDate: number
  /** Next index per history source. */
  positions: Map<string, number>
}

export type TokenReading =
  | { ok: true; cursor: HistoryCursor }
  | { ok: false; error: 'InvalidPaginationToken' | 'PaginationTokenExpired' }

const tokenBody = z.strictObject({
  f: z.string(),
  e: z.number().int(),
  p: z.array(z.tuple([z.string(), z.number().int().min(0)])),
  t: z.number(),
})

/**
 * Stateless pagination tokens: the cursor, signed with a key that lives as long as the simulator.
 * A token from another simulator, or one edited by hand, fails the MAC (4000014); one older than
 * the TTL has expired (4000017). Nothing is stored per iteration, so a benchmark walking 5 000
 * pages costs no memory.
 */
export class PaginationTokens {
  readonly #key = randomBytes(32)
  readonly #ttlMs: number

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs
  }

  issue(cursor: HistoryCursor, now: number): string {
    const body = Buffer.from(
      JSON.stringify({
        f: cursor.fingerprint,
        e: cursor.endDate,
        p: [...cursor.positions],
        t: now,
      }),
    ).toString('base64url')
    return `${body}.${this.#mac(body)}`
  }

  read(token: string, now: number): TokenReading {
    const dot = token.indexOf('.')
    if (dot <= 0) return { ok: false, error: 'InvalidPaginationToken' }
    const body = token.slice(0, dot)
    const mac = Buffer.from(token.slice(dot + 1), 'base64url')
    const expected = Buffer.from(this.#mac(body), 'base64url')
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
      return { ok: false, error: 'InvalidPaginationToken' }
    }
    let parsed: z.infer<typeof tokenBody>
    try {
      parsed = tokenBody.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')))
    } catch {
      return { ok: false, error: 'InvalidPaginationToken' }
    }
    if (now - parsed.t > this.#ttlMs) return { ok: false, error: 'PaginationTokenExpired' }
    return {
      ok: true,
      cursor: { fingerprint: parsed.f, endDate: parsed.e, positions: new Map(parsed.p) },
    }
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#key)
      .update(body)
      .digest()
      .subarray(0, 16)
      .toString('base64url')
  }
}
