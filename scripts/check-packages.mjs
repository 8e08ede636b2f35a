// Runs publint and arethetypeswrong (ESM-only profile) on every publishable package.
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const packages = readdirSync(join(root, 'packages'))
for (const name of packages) {
  const dir = join(root, 'packages', name)
  console.log(`\n# @notiprobe/${name}`)
  execFileSync('pnpm', ['exec', 'publint', '--strict', dir], { cwd: root, stdio: 'inherit' })
  execFileSync('pnpm', ['exec', 'attw', '--pack', dir, '--profile', 'esm-only'], {
    cwd: root,
    stdio: 'inherit',
  })
}
