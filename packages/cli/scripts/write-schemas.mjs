// Writes the published JSON Schemas (schemas/*.json) from the built zod schemas: run after a build
// whenever a --json shape or the config file changes (`pnpm --filter @notiprobe/cli schemas`).
// packages/cli/test/schemas.test.ts fails while the files and the zod schemas differ.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { format, resolveConfig } from 'prettier'
import { publishedSchemas, SCHEMA_DIRECTORY } from '../dist/json-schemas.js'

const dir = join(import.meta.dirname, '..', SCHEMA_DIRECTORY)
await mkdir(dir, { recursive: true })
const schemas = publishedSchemas()
for (const file of await readdir(dir)) {
  if (!(file.replace(/\.json$/, '') in schemas)) await rm(join(dir, file))
}
for (const [name, schema] of Object.entries(schemas)) {
  const file = join(dir, `${name}.json`)
  // Formatted as the repository's prettier settings say, so format:check holds for the files.
  const options = await resolveConfig(file)
  await writeFile(file, await format(JSON.stringify(schema), { ...options, filepath: file }))
}
console.log(`${Object.keys(schemas).length} schemas written to ${dir}`)
