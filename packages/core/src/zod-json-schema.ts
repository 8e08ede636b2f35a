/**
 * @notiprobe/core/zod-json-schema: zod's JSON Schema conversion and the registry `.describe()` and
 * `.meta()` write to, for the CLI's published schemas. From the same bundled zod as `z`, so it
 * sees the schemas the adapters made.
 */
export { globalRegistry, toJSONSchema } from 'zod/mini'
