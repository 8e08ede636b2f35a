import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseExactJson, quoteUnsafeIntegers } from '../src/exact-json.js'
import { toGitHubId } from '../src/github-id.js'

describe('toGitHubId', () => {
  it.each([
    [1, '1'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    ['9223372036854775807', '9223372036854775807'],
    [9223372036854775807n, '9223372036854775807'],
    ['0042', '42'],
  ])('%s → %s', (input, id) => expect(toGitHubId(input)).toBe(id))

  it.each([
    0,
    -1,
    1.5,
    Number.MAX_SAFE_INTEGER + 1,
    Infinity,
    NaN,
    '',
    '-1',
    '+1',
    '1.0',
    '1e3',
    '0x10',
    '9223372036854775808',
    '12345678901234567890',
    0n,
    null,
    {},
  ])('refuses %s', (input) => expect(toGitHubId(input)).toBeUndefined())
})

describe('parseExactJson', () => {
  it('keeps integers beyond 2^53 exact, as strings, and leaves every other value alone', () => {
    const text =
      '{"id":9007199254740993,"small":42,"neg":-9223372036854775808,"f":1.5e300,"s":"12345678901234567890","n":[90071992547409930]}'
    expect((JSON.parse(text) as { id: number }).id).toBe(9007199254740992) // what plain JSON.parse does: the wrong id
    expect(parseExactJson(text)).toEqual({
      id: '9007199254740993',
      small: 42,
      neg: '-9223372036854775808',
      f: 1.5e300,
      s: '12345678901234567890',
      n: ['90071992547409930'],
    })
  })

  it('does not look inside strings, escaped quotes included', () => {
    const text = '{"a":"x\\" 9007199254740993 \\\\","b":9007199254740993}'
    expect(parseExactJson(text)).toEqual({ a: 'x" 9007199254740993 \\', b: '9007199254740993' })
  })

  it('agrees with JSON.parse on any JSON without unsafe integers', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((value) => !hasUnsafeInteger(value)),
        (value) => {
          const text = JSON.stringify(value)
          expect(parseExactJson(text)).toEqual(JSON.parse(text))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('round-trips every int64 exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        const parsed = parseExactJson(`{"id":${value}}`) as { id: number | string }
        expect(BigInt(parsed.id)).toBe(value)
      }),
      { numRuns: 300 },
    )
  })

  it('quotes only where JSON.parse would round, whatever form the other numbers take', () => {
    expect(parseExactJson('{"a":1e20,"b":[2.5,{"c":9007199254740993}]}')).toEqual({
      a: 1e20,
      b: [2.5, { c: '9007199254740993' }],
    })
    expect(parseExactJson('{"a":1e20,"b":12345678901234567.5}')).toEqual({
      a: 1e20,
      b: Number('12345678901234567.5'), // rounded, as JSON.parse rounds it: not an integer literal
    })
  })

  it('reads deeply nested JSON without running out of stack', () => {
    const depth = 200_000
    const text = `${'['.repeat(depth)}9007199254740993${']'.repeat(depth)}`
    let value = parseExactJson(text)
    for (let level = 0; level < depth; level++) value = (value as unknown[])[0]
    expect(value).toBe('9007199254740993')
  })

  it('leaves invalid JSON invalid', () => {
    expect(() => parseExactJson('{"a":12345678901234567890')).toThrow(SyntaxError)
    expect(quoteUnsafeIntegers('not json')).toBe('not json')
  })
})

function hasUnsafeInteger(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value)
  if (typeof value !== 'object' || value === null) return false
  return Object.values(value).some(hasUnsafeInteger)
}
