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
  const expanded: Record<string, string | undefined> = { ...env }
  for (const [name, value] of Object.entries(env)) {
    if (name.endsWith('_FILE') && value !== undefined) expanded[name] = withHome(value, env)
  }
  return expanded
}

/**
 * `path` with a leading `~` or `~/` as the home directory (`HOME`, else the account's); any other
 * path as written. Also for the config file's paths, where no shell ever expands them.
 */
export function withHome(path: string, env: Env): string {
  if (path !== '~' && !path.startsWith('~/')) return path
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir()
  return path === '~' ? home : join(home, path.slice(2))
}
