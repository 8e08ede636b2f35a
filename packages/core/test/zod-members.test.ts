import { afterEach, describe, expect, it, vi } from 'vitest'
import * as classic from 'zod'
import { z } from '../src/zod.js'
import { toJSONSchema } from '../src/zod-json-schema.js'

const messages = (result: { error?: { issues: readonly { message: string }[] } | undefined }) =>
  result.error?.issues.map((issue) => issue.message)

describe("core's z (zod/mini)", () => {
  it('gives the issues classic zod gives, worded in English', () => {
    const pairs = [
      [z.string(), classic.string(), 1],
      [z.number().check(z.int(), z.lte(9)), classic.number().int().max(9), 10.5],
      [z.number().check(z.gte(1), z.lte(9)), classic.number().min(1).max(9), 10],
      [z.string().check(z.minLength(2), z.regex(/^a/)), classic.string().min(2).regex(/^a/), 'b'],
      [
        z.strictObject({ a: z.optional(z.boolean()) }),
        classic.strictObject({ a: classic.boolean().optional() }),
        { a: 'yes', b: 1 },
      ],
    ] as const
    for (const [mini, original, input] of pairs) {
      const issues = z.safeParse(mini, input).error?.issues
      expect(issues).toEqual(original.safeParse(input).error?.issues)
      expect(issues?.length).toBeGreaterThan(0)
    }
    expect(messages(z.safeParse(z.string(), 1))).toEqual([
      'Invalid input: expected string, received number',
    ])
  })

  it("lets a transform refuse its value with ctx.addIssue, as classic zod's does", () => {
    const positive = z.pipe(
      z.number(),
      z.transform((value: number, ctx) => {
        if (value > 0) return String(value)
        ctx.addIssue('expected a positive number')
        return z.NEVER
      }),
    )
    const nested = z.object({
      id: z.pipe(
        z.unknown(),
        z.transform((value, ctx) => {
          ctx.addIssue({ code: 'custom', message: 'not an id', path: ['digits'] })
          return value
        }),
      ),
    })
    expect(z.safeParse(positive, 3)).toEqual({ success: true, data: '3' })
    const refused = z.safeParse(positive, -1)
    expect(refused.error?.issues).toEqual([
      expect.objectContaining({ code: 'custom', message: 'expected a positive number', path: [] }),
    ])
    expect(z.safeParse(nested, { id: 'x' }).error?.issues).toEqual([
      expect.objectContaining({ code: 'custom', message: 'not an id', path: ['id', 'digits'] }),
    ])
  })

  it('preprocesses a value before its schema checks it', () => {
    const lower = z.preprocess(
      (input) => (typeof input === 'string' ? input.toLowerCase() : input),
      z.enum(['a', 'b']),
    )
    expect(z.safeParse(lower, 'A')).toEqual({ success: true, data: 'a' })
    expect(z.safeParse(lower, 1).success).toBe(false)
  })

  it("describes a copy, as classic zod's describe() and meta() do, so schemas built on it keep one id", () => {
    const base = z.object({ name: z.describe(z.string(), 'Who') })
    const named = z.meta(base, { id: 'named', title: 'Named' })
    const extended = z.meta(z.extend(named, { age: z.number() }), { title: 'Extended' })
    // The original is not registered: describe() and meta() leave it as it was.
    expect(toJSONSchema(base)).not.toHaveProperty('title')
    const schema = toJSONSchema(z.object({ one: named, two: extended }))
    expect(schema.properties?.one).toEqual({ $ref: '#/$defs/named' })
    expect(schema.properties?.two).toMatchObject({ title: 'Extended' })
    expect(schema.properties?.two).not.toHaveProperty('id')
    expect(schema.$defs?.named).toMatchObject({
      title: 'Named',
      properties: { name: { type: 'string', description: 'Who' } },
    })
  })

  describe('compiled', () => {
    afterEach(() => {
      classic.config({ jitless: false })
      vi.restoreAllMocks()
    })

    const page = () =>
      z.array(
        z.looseObject({
          id: z.number().check(z.int(), z.gte(1)),
          name: z.optional(z.string().check(z.maxLength(5))),
        }),
      )
    const inputs = [
      [{ id: 1, name: 'a', extra: true }],
      [{ id: 0 }, { id: 2, name: 'toolong' }],
      {},
    ]

    it('parses as the schema does, generating its parser once, on the first parse', () => {
      const generate = vi.spyOn(globalThis, 'Function')
      const fast = z.compiled(page)
      expect(generate).not.toHaveBeenCalled()
      for (const input of inputs) {
        expect(z.safeParse(fast, input)).toEqual(z.safeParse(page(), input))
      }
      const generated = generate.mock.calls.length
      expect(generated).toBeGreaterThan(0)
      z.safeParse(fast, inputs[0])
      expect(generate).toHaveBeenCalledTimes(generated)
    })

    it('generates no code where the process set zod jitless', () => {
      classic.config({ jitless: true })
      const generate = vi.spyOn(globalThis, 'Function')
      const fast = z.compiled(page)
      for (const input of inputs) {
        expect(z.safeParse(fast, input)).toEqual(z.safeParse(page(), input))
      }
      expect(generate).not.toHaveBeenCalled()
    })
  })
})
