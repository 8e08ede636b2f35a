import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { publishedSchemas } from '../src/json-schemas.js'
import packageJson from '../package.json' with { type: 'json' }

const DIR = join(import.meta.dirname, '..', 'schemas')

describe('published JSON Schemas', () => {
  it('are exactly what the zod schemas give (pnpm --filter @notiprobe/cli schemas rewrites them)', async () => {
    const expected = publishedSchemas()
    const files = (await readdir(DIR)).filter((file) => file.endsWith('.json')).sort()
    expect(files).toEqual(
      Object.keys(expected)
        .map((name) => `${name}.json`)
        .sort(),
    )
    for (const [name, schema] of Object.entries(expected)) {
      const published = JSON.parse(await readFile(join(DIR, `${name}.json`), 'utf8')) as unknown
      expect(published, `${name}.json is stale`).toEqual(schema)
    }
  })

  it('ship in the package, each at @notiprobe/cli/schemas/<name>.json', () => {
    expect(packageJson.files).toContain('schemas')
    expect(packageJson.exports).toHaveProperty(['./schemas/*.json'], './schemas/*.json')
  })

  it('close every object notiprobe defines, and keep the version they describe', () => {
    const schemas = publishedSchemas() as Record<
      string,
      { properties?: Record<string, unknown>; additionalProperties?: unknown }
    >
    for (const name of [
      'check-result',
      'check-report',
      'error',
      'apple-history-record',
      'apple-verification',
      'config',
    ]) {
      expect(schemas[name]?.additionalProperties, name).toBe(false)
    }
    expect(schemas['check-result']?.properties?.schemaVersion).toEqual({ type: 'number', const: 2 })
  })
})
