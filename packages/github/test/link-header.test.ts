import { describe, expect, it } from 'vitest'
import { MAX_LINK_HEADER_LENGTH, nextPageUrl, parseLinkHeader } from '../src/link-header.js'
import { thrown } from './helpers/errors.js'

const BASE = 'https://api.github.com'
const PATH = '/repos/octo/hello/hooks/1/deliveries'
const at = { baseUrl: BASE, path: PATH, operation: 'github.listDeliveries' }

describe('parseLinkHeader', () => {
  it("parses GitHub's example, rel matched case-insensitively", () => {
    expect(
      parseLinkHeader(
        '<https://api.github.com/resource?page=2>; rel="next", <https://api.github.com/resource?page=5>; REL="Last"',
      ),
    ).toEqual([
      { url: 'https://api.github.com/resource?page=2', rels: ['next'] },
      { url: 'https://api.github.com/resource?page=5', rels: ['last'] },
    ])
  })

  it('reads unquoted values, several rels, commas inside URLs and quoted strings', () => {
    expect(parseLinkHeader('<https://x/a?b=1,2>; title="a, b; c"; rel=next')).toEqual([
      { url: 'https://x/a?b=1,2', rels: ['next'] },
    ])
    expect(parseLinkHeader('<https://x/a>; rel="prev next"')[0]?.rels).toEqual(['prev', 'next'])
  })

  it('skips entries without rel and garbage', () => {
    expect(parseLinkHeader('garbage, <https://x/a>; title=x, <https://x/b>; rel="next"')).toEqual([
      { url: 'https://x/b', rels: ['next'] },
    ])
    expect(parseLinkHeader('<unterminated; rel=next')).toEqual([])
  })

  it('reads no further than its bound', () => {
    const long = `${'<https://x/a>; rel="prev", '.repeat(MAX_LINK_HEADER_LENGTH / 10)}<https://x/b>; rel="next"`
    expect(parseLinkHeader(long).some((link) => link.rels.includes('next'))).toBe(false)
  })
})

describe('nextPageUrl', () => {
  it('returns the next URL verbatim on the same origin and list path', () => {
    const next = `${BASE}${PATH}?per_page=100&cursor=v1_1234`
    expect(nextPageUrl(`<${next}>; rel="next"`, at)).toBe(next)
  })

  it('returns undefined on the last page', () => {
    expect(nextPageUrl(undefined, at)).toBeUndefined()
    expect(nextPageUrl('', at)).toBeUndefined()
    expect(nextPageUrl(`<${BASE}${PATH}?cursor=a>; rel="prev"`, at)).toBeUndefined()
  })

  it('works under a GHES /api/v3 base', () => {
    const base = 'https://ghe.example.com/api/v3'
    const next = `${base}${PATH}?cursor=x`
    expect(nextPageUrl(`<${next}>; rel="next"`, { ...at, baseUrl: base })).toBe(next)
    expect(() =>
      nextPageUrl(`<https://ghe.example.com${PATH}?cursor=x>; rel="next"`, {
        ...at,
        baseUrl: base,
      }),
    ).toThrow(/another path/)
  })

  it.each([
    ['https://evil.example' + PATH + '?cursor=x', 'another host'],
    ['http://api.github.com' + PATH + '?cursor=x', 'another host'],
    ['https://api.github.com:8443' + PATH, 'another host'],
    ['https://api.github.com/user/keys', 'another path'],
    ['https://api.github.com' + PATH + '/../../../../user', 'another path'],
    ['https://token@api.github.com' + PATH, 'user info'],
    ['not a url', 'is not a URL'],
  ])('refuses a next link to %s, which could take the token elsewhere', (url, why) => {
    const error = thrown(() => nextPageUrl(`<${url}>; rel="next"`, at))
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toContain(why)
  })
})
