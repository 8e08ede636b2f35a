/**
 * The part of zod that notiprobe validates with, as `z` (`zod.ts`). zod's own `z` also carries its
 * 60 locales, JSON Schema conversion and more: about 400 KB that every process importing an
 * adapter would compile, and none would run. The CLI's JSON Schema export takes its own entry
 * (`zod-json-schema.ts`), from the same bundled zod.
 *
 * `lazy` is how an adapter keeps import cheap: a schema that its first call does not need (a
 * history page, a signed transaction, an error body) is wrapped in it and built when first parsed.
 */
export {
  array,
  boolean,
  custom,
  date,
  discriminatedUnion,
  email,
  enum,
  instanceof,
  iso,
  lazy,
  literal,
  looseObject,
  NEVER,
  number,
  object,
  preprocess,
  prettifyError,
  record,
  strictObject,
  string,
  tuple,
  union,
  unknown,
  url,
} from 'zod'
export type {
  infer,
  input,
  output,
  RefinementCtx,
  ZodError,
  ZodRawShape,
  ZodSafeParseResult,
  ZodType,
} from 'zod'
export type * as core from 'zod/v4/core'
