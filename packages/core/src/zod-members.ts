/**
 * The part of zod that notiprobe validates with, as `z` (`zod.ts`): zod's functional API,
 * `zod/mini`, whose schemas carry no methods but `check`, `parse` and `safeParse`, so a bundle
 * keeps only the schemas and checks it uses. zod's classic `z` attaches its whole API and its
 * JSON Schema conversion to every schema: about 90 KB more that every process importing an adapter
 * would compile, and 10 ms more to start. The CLI's JSON Schema export takes its own entry
 * (`zod-json-schema.ts`), from the same bundled zod.
 *
 * Written the functional way: `z.optional(z.string().check(z.maxLength(100)))`, not
 * `z.string().max(100).optional()`; each chain of checks is one `check()`.
 *
 * `lazy` is how an adapter keeps import cheap: a schema that its first call does not need (a
 * history page, a signed transaction, an error body) is wrapped in it and built when first parsed.
 */
import {
  clone,
  compile,
  config,
  globalRegistry,
  lazy,
  memoizer,
  pipe,
  transform as transformPayload,
  type ZodMiniLazy,
  type ZodMiniPipe,
  type ZodMiniTransform,
} from 'zod/mini'
import type * as core from 'zod/v4/core'
import en from 'zod/v4/locales/en.js'

// What `zod` sets up by itself and `zod/mini` leaves to its user: English messages for the
// issues a schema does not word itself, and the memo that lets a parse meet the same object twice.
// As zod does, only where the process has not chosen: zod keeps one setting per process, shared
// by every copy of zod in it, a user's own too.
const settings = config()
if (settings.localeError === undefined) config(en())
if (settings.memoizer === undefined) config({ memoizer: memoizer() })

export {
  _default,
  array,
  boolean,
  catch,
  custom,
  date,
  discriminatedUnion,
  email,
  enum,
  extend,
  gte,
  includes,
  instanceof,
  int,
  iso,
  lazy,
  literal,
  looseObject,
  lte,
  maxLength,
  minLength,
  NEVER,
  nonnegative,
  nullable,
  nullish,
  number,
  object,
  optional,
  partial,
  pipe,
  positive,
  prettifyError,
  record,
  refine,
  regex,
  strictObject,
  string,
  safeParse,
  superRefine,
  trim,
  tuple,
  union,
  unknown,
} from 'zod/mini'
export type { infer, input, output } from 'zod/mini'
export type * as core from 'zod/v4/core'

/** Any schema whose parse gives `Output` (zod's classic schemas too): parse it with `safeParse`. */
export type ZodType<Output = unknown, Input = unknown> = core.$ZodType<Output, Input>
export type ZodRawShape = core.$ZodShape
export type ZodError<T = unknown> = core.$ZodError<T>
export type RefinementCtx<T = unknown> = core.$RefinementCtx<T>
export type ZodSafeParseResult<T> = core.util.SafeParseResult<T>

/** An issue a transform raises, as a refinement's `addIssue` takes it. */
type TransformIssue = Parameters<core.$RefinementCtx['addIssue']>[0]

/** What a transform's `fn` gets besides the value: `addIssue`, as in zod's classic `transform`. */
export interface TransformContext {
  addIssue(issue: TransformIssue): void
}

/**
 * zod's `transform`, whose `fn` can refuse the value with `ctx.addIssue` (and return `NEVER`), as
 * classic zod's can; `zod/mini` hands `fn` the bare parse payload.
 */
export function transform<Input, Output>(
  fn: (input: Input, ctx: TransformContext) => Output,
): ZodMiniTransform<Awaited<Output>, Input> {
  return transformPayload<Input, Output>((input, payload) =>
    fn(input, {
      addIssue: (issue) => {
        // As classic zod's: `code` is `custom` and `input` the value unless the issue says otherwise.
        const raw = typeof issue === 'string' ? { message: issue, code: 'custom' as const } : issue
        payload.issues.push({ input, ...raw, code: raw.code ?? 'custom' } as core.$ZodRawIssue)
      },
    }),
  )
}

/**
 * The schema `build` makes, built on its first parse and compiled then by zod into a parser of its
 * own: for what is parsed on every call or page (a page of GitHub's deliveries log parses in a
 * third of the time `zod/mini`'s interpreter takes). zod generates code for it (`new Function`),
 * as classic zod did for every object, unless the process set zod's `jitless`.
 */
export function compiled<T extends core.$ZodType>(build: () => T): ZodMiniLazy<T> {
  return lazy(() => {
    const schema = build()
    return config().jitless === true ? schema : compile(schema)
  })
}

/**
 * A copy of `schema` described for its JSON Schema, as classic zod's `.describe()` makes one: its
 * own copy, so a schema built from it later (`extend`, `check`) inherits the text, not a second
 * registration.
 */
export function describe<T extends core.$ZodType>(schema: T, description: string): T {
  return meta(schema, { description })
}

/** A copy of `schema` with `metadata` for its JSON Schema (`id`, `title`, ...), as classic's `.meta()`. */
export function meta<T extends core.$ZodType>(schema: T, metadata: core.GlobalMeta): T {
  const copy = clone(schema)
  globalRegistry.add(copy, metadata)
  return copy
}

/** `input` run through `fn`, then checked by `schema`: zod's `preprocess`, which `zod/mini` lacks. */
export function preprocess<Out extends core.$ZodType>(
  fn: (input: unknown) => unknown,
  schema: Out,
): ZodMiniPipe<ZodMiniTransform, Out> {
  return pipe(transformPayload(fn), schema)
}
