// Writes the package.json of the throw-away project: the CLI and one adapter from their tarballs,
// with npm overrides so that every @notiprobe dependency resolves to a tarball too.
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [tarballs, project] = process.argv.slice(2)
const tarball = (name) => {
  const file = readdirSync(tarballs).find((f) => f.startsWith(`notiprobe-${name}-`))
  if (!file) throw new Error(`no tarball for @notiprobe/${name} in ${tarballs}`)
  return `file:${join(tarballs, file)}`
}
const names = readdirSync(tarballs).map((f) => /^notiprobe-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(f)?.[1])
const overrides = Object.fromEntries(
  names.filter(Boolean).map((name) => [`@notiprobe/${name}`, tarball(name)]),
)
const pkg = {
  name: 'notiprobe-clean-install',
  private: true,
  type: 'module',
  dependencies: {
    '@notiprobe/cli': tarball('cli'),
    '@notiprobe/apple': tarball('apple'),
    '@notiprobe/core': tarball('core'),
    '@notiprobe/simulator': tarball('simulator'),
  },
  devDependencies: { typescript: '~6.0.3', '@types/node': '^20.19.0' },
  overrides,
}
writeFileSync(join(project, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
