import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NotificationTestError } from '../src/error.js'
import { TargetUrl } from '../src/transport/target-url.js'

const operation = { name: 'acme.read', label: 'Reading' }

/** What the URL parser makes of `base + path`: the reference the resolver must agree with. */
function parsed(base: string, path: string): string {
  let url: URL
  try {
    url = new URL(base + path)
  } catch {
    return 'refused'
  }
  return url.origin === new URL(base).origin ? url.href : 'refused'
}

function resolved(target: TargetUrl, path: string): string {
  try {
    return target.resolve('acme', operation, path)
  } catch (error) {
    expect(error).toBeInstanceOf(NotificationTestError)
    return 'refused'
  }
}

// Characters that matter to the parser: dots and their escapes, separators, and what moves a host.
const pathChar = fc.constantFrom(
  ...'/./%2e%2E%41aZ09_-~?=&+#@:\\ '.split(''),
  '%2e',
  '%2E',
  '..',
  '//',
  '%',
)

describe('TargetUrl.resolve', () => {
  for (const base of [
    'https://api.example.com',
    'http://127.0.0.1:8080',
    'https://ghe.example.com/api/v3',
  ]) {
    it(`agrees with the URL parser on every path under ${base}`, () => {
      const target = new TargetUrl('acme', base, 'baseUrl')
      fc.assert(
        fc.property(fc.array(pathChar, { maxLength: 24 }), (chars) => {
          const path = `/${chars.join('')}`
          expect(resolved(target, path)).toBe(parsed(target.baseUrl, path))
        }),
        { numRuns: 2000 },
      )
    })
  }

  it('resolves dot segments and their escapes as the parser does, never past the origin', () => {
    const target = new TargetUrl('acme', 'https://ghe.example.com/api/v3', 'baseUrl')
    expect(resolved(target, '/repos/%2e%2E/x')).toBe('https://ghe.example.com/api/v3/x')
    expect(resolved(target, '//evil.example/x')).toBe(
      'https://ghe.example.com/api/v3//evil.example/x',
    )
    expect(resolved(target, '/hooks/1/deliveries?per_page=30&cursor=v1%3Aab')).toBe(
      'https://ghe.example.com/api/v3/hooks/1/deliveries?per_page=30&cursor=v1%3Aab',
    )
  })
})
