/**
 * Time and randomness every simulator takes as options, so tests can be exact: a fixed clock makes
 * token expiry and rate-limit windows deterministic, a fixed `random` makes probabilistic faults
 * and generated ids predictable.
 */
export interface SimulatorEnvironment {
  /** Milliseconds since the epoch; default `Date.now`. */
  now?: () => number
  /** A number in [0, 1); default `Math.random`. */
  random?: () => number
}

/** `n` hex characters drawn from `random` (ids such as tracking ids, not secrets). */
export function randomHex(random: () => number, n: number): string {
  let out = ''
  for (let i = 0; i < n; i++) out += Math.floor(random() * 16).toString(16)
  return out
}
