import picocolors from 'picocolors'
import type { OutStream } from '../io.js'

export type Colors = ReturnType<typeof picocolors.createColors>

/**
 * Colour only on a terminal, never when `NO_COLOR` is set to anything (no-color.org) or the
 * terminal is `dumb`; `FORCE_COLOR` (other than `0`) turns it on elsewhere, `NO_COLOR` still wins.
 */
export function colorEnabled(
  stream: OutStream,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  const force = env.FORCE_COLOR
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false'
  return stream.isTTY === true && env.TERM !== 'dumb'
}

export function colorsFor(
  stream: OutStream,
  env: Readonly<Record<string, string | undefined>>,
): Colors {
  return picocolors.createColors(colorEnabled(stream, env))
}
