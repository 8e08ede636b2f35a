// `pnpm notiprobe …` from the clone. pnpm runs root scripts in the workspace root and keeps the
// directory the user typed the command in as INIT_CWD: go back there first, so `--config`,
// `--context @file`, `--root-cert` and the key files resolve where the user is, as they do for
// the linked `notiprobe` command.
import { chdir, env } from 'node:process'

if (env.INIT_CWD !== undefined && env.INIT_CWD !== '') chdir(env.INIT_CWD)
await import('../packages/cli/dist/bin.js')
