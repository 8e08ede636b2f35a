// Puts the `notiprobe` command of this clone on PATH: `npm link` in packages/cli, a symbolic link
// in npm's global prefix (nothing is downloaded). With --best-effort (the demo), a prefix that is
// not writable is reported on stderr with the fix, and the demo still runs.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

const bestEffort = process.argv.includes('--best-effort')
const cli = join(import.meta.dirname, '..', 'packages', 'cli')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const link = spawnSync(npm, ['link', '--no-fund', '--no-audit', '--loglevel=error'], {
  cwd: cli,
  encoding: 'utf8',
})
const prefix = spawnSync(npm, ['prefix', '-g'], { encoding: 'utf8' }).stdout.trim()
if (link.status === 0) {
  process.stderr.write(
    `notiprobe: linked into ${prefix}; run \`notiprobe --help\` from any directory.\n`,
  )
} else {
  process.stderr.write(
    `notiprobe: could not link the command into npm's global prefix (${prefix}): ${(link.stderr || link.error?.message || '').trim().split('\n')[0]}\n` +
      '  Use `pnpm notiprobe <command>` inside this clone, or make the prefix writable\n' +
      '  (`npm config set prefix ~/.local`, with ~/.local/bin on PATH) and run `pnpm link-cli`.\n',
  )
  if (!bestEffort) process.exitCode = 1
}
