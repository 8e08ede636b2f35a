import { homedir } from 'node:os'
import { join } from 'node:path'

type Env = Readonly<Record<string, string | undefined>>

/**
 * `~` and `~/…` at the start of a `*_FILE` variable name the home directory, as in a shell. A
 * shell expands them only in some places (`VAR=~/x` on a command line, not inside quotes, an env
 * file, a CI variable or a Docker `-e`), so the command does it for every such variable. `~user`
 * is left as written: it names another account's home.
 */
export function withHomeInFileVariables(env: Env): Env {
  let home: string | undefined
  const expanded: Record<string, string | undefined> = { ...env }
  for (const [name, value] of Object.entries(env)) {
    if (!name.endsWith('_FILE') || value === undefined) continue
    if (value !== '~' && !value.startsWith('~/')) continue
    home ??= env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir()
    expanded[name] = value === '~' ? home : join(home, value.slice(2))
  }
  return expanded
}
