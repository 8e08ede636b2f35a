import { randomHex } from '../common/clock.js'

/**
 * A delivery GUID in the 8-4-4-4-12 hex form every GitHub example uses, drawn from the injected
 * `random` so tests can predict it. GitHub's examples look like UUID v1; clients must treat the
 * value as opaque, so the simulator does not imitate the version bits.
 */
export function newGuid(random: () => number): string {
  const hex = randomHex(random, 32)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** `2019-06-03T00:57:16Z`: UTC, whole seconds, as in GitHub's examples. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

/** `GitHub-Hookshot/<7 hex>`: the prefix GitHub guarantees, then a short build hash. */
export function hookshotUserAgent(random: () => number): string {
  return `GitHub-Hookshot/${randomHex(random, 7)}`
}

/** An `X-GitHub-Request-Id`-like value, e.g. `C0DE:1F2E:3A4B5C:6D7E8F:65A1B2C3`. */
export function newRequestId(random: () => number): string {
  const part = (n: number): string => randomHex(random, n).toUpperCase()
  return `${part(4)}:${part(4)}:${part(6)}:${part(6)}:${part(8)}`
}

/**
 * Counters for numeric ids. Delivery ids start above 2^32 on purpose: GitHub declares them int64
 * and some third-party SDKs wrongly read them as int32, which the simulator should expose.
 */
export class IdSequence {
  #next: number
  constructor(start: number) {
    this.#next = start
  }
  take(): number {
    return this.#next++
  }
}
