import type { z } from '@notiprobe/core/zod'
import { globalRegistry, toJSONSchema } from '@notiprobe/core/zod-json-schema'
import { configSchema } from './config-file.js'
import { OUTPUT_DOCUMENTS } from './output/documents.js'

/** Where the published schemas live in the package: `@notiprobe/cli/schemas/<name>.json`. */
export const SCHEMA_DIRECTORY = 'schemas'

/**
 * The JSON Schemas published with the package, derived from the zod schemas the CLI itself
 * validates with and types its output by, so the two cannot drift: the config file (what the CLI
 * accepts) and every `--json` document (what it prints).
 */
export function publishedSchemas(): Record<string, object> {
  const config = toJSONSchema(configSchema, {
    io: 'input',
    unrepresentable: 'any',
    override: anyCase,
  })
  // `"apple": false` switches a vendor off; the CLI takes it out before zod sees the sections.
  const properties: Record<string, unknown> = config.properties ?? {}
  for (const vendor of ['apple', 'sailpoint', 'github']) {
    const section = properties[vendor]
    if (section !== undefined) properties[vendor] = { anyOf: [section, { const: false }] }
  }
  const schemas: Record<string, object> = {
    config: { title: 'notiprobe run --config: notiprobe.config.json', ...config },
  }
  for (const [name, schema] of Object.entries(OUTPUT_DOCUMENTS)) {
    schemas[name] = toJSONSchema(schema, { io: 'output' })
  }
  return schemas
}

/** The file's enums take any case ("sandbox"): a pattern says so where `enum` could not. */
function anyCase(context: {
  zodSchema: z.core.$ZodTypes
  jsonSchema: z.core.JSONSchema.BaseSchema
}): void {
  const values = globalRegistry.get(context.zodSchema)?.anyCaseOf
  if (!Array.isArray(values)) return
  const json = context.jsonSchema as Record<string, unknown>
  delete json.anyCaseOf
  delete json.enum
  json.type = 'string'
  json.examples = values
  json.pattern = `^(?:${values.map((value: string) => Array.from(value, anyCaseChar).join('')).join('|')})$`
}

function anyCaseChar(char: string): string {
  const lower = char.toLowerCase()
  const upper = char.toUpperCase()
  return lower === upper ? char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : `[${upper}${lower}]`
}
