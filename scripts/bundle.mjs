// Bundles each published library package's JavaScript with rolldown, after `tsc -b`: a cold
// `import()` of one file costs far less than of the ~100 modules tsc writes (and zod's ~95). One
// build per package, all its entries together, so code shared by entries lands in shared chunks
// (one NotificationTestError class) and lazy import()s stay lazy. Reads tsc's dist/*.js and writes
// dist/bundle/, never touching tsc's own files (tsc -b is incremental). The `types` of each export
// stay tsc's .d.ts; `default` points here. With --clean it only removes dist/bundle/ (pnpm clean).
import { readFile, rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { rolldown } from 'rolldown'

const root = join(import.meta.dirname, '..')
const cleanOnly = process.argv.includes('--clean')

/** The packages bundled, and the dependencies each inlines; every other bare import stays external. */
const PACKAGES = {
  // zod is loaded once, from here: the adapters import it through `@notiprobe/core/zod`.
  core: { inline: ['zod'] },
  apple: { inline: [] },
  sailpoint: { inline: [] },
  github: { inline: [] },
}

/** dist/X.js for every export whose source is src/X.ts. */
function entriesOf(manifest, dir) {
  const entries = {}
  for (const target of Object.values(manifest.exports)) {
    const source = typeof target === 'object' ? target['@notiprobe/source'] : undefined
    const name = source?.match(/^\.\/src\/(.+)\.ts$/)?.[1]
    if (name !== undefined) entries[name] = join(dir, 'dist', `${name}.js`)
  }
  return entries
}

function isExternal(inline) {
  return (id, _importer, isResolved) => {
    if (isResolved || id.startsWith('.') || id.startsWith('/')) return false
    return !inline.some((name) => id === name || id.startsWith(`${name}/`))
  }
}

/** Hands rolldown tsc's source map with each file, so the bundle's map leads back to src/. */
const withTscSourceMaps = {
  name: 'tsc-source-maps',
  async load(id) {
    if (!id.endsWith('.js') || id.includes('/node_modules/')) return null
    const code = await readFile(id, 'utf8')
    const map = await readFile(`${id}.map`, 'utf8').catch(() => undefined)
    return map === undefined ? code : { code, map }
  },
}

for (const [name, { inline }] of Object.entries(PACKAGES)) {
  const dir = join(root, 'packages', name)
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'))
  const out = join(dir, 'dist', 'bundle')
  // Chunk names carry a content hash: clear the last build's so no stale chunk is published.
  await rm(out, { recursive: true, force: true })
  if (cleanOnly) continue
  const build = await rolldown({
    input: entriesOf(manifest, dir),
    platform: 'node',
    external: isExternal(inline),
    plugins: [withTscSourceMaps],
    treeshake: true,
  })
  const { output } = await build.write({
    dir: out,
    format: 'esm',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  })
  await build.close()
  const files = output.filter((file) => file.type === 'chunk').length
  console.log(`bundle: ${manifest.name} → ${relative(root, dir)}/dist/bundle (${files} files)`)
}
