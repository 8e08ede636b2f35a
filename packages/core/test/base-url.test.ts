import { describe, expect, it } from 'vitest'
import { checkBaseUrl, isLoopbackHost } from '../src/base-url.js'
import { isNotificationTestError } from '../src/error.js'

const context = { vendor: 'sailpoint', operation: 'sailpoint.configure', field: 'baseUrl' }

function refusal(url: string): string {
  try {
    checkBaseUrl(url, context)
  } catch (error) {
    if (isNotificationTestError(error) && error.kind === 'config') return error.message
    throw error
  }
  throw new Error(`${url} was accepted`)
}

describe('checkBaseUrl', () => {
  it('accepts https and loopback http, dropping the trailing slash', () => {
    expect(checkBaseUrl('https://acme.api.identitynow.com/', context)).toBe(
      'https://acme.api.identitynow.com',
    )
    expect(checkBaseUrl('http://127.0.0.1:8080', context)).toBe('http://127.0.0.1:8080')
    expect(checkBaseUrl('http://localhost:1/', context)).toBe('http://localhost:1')
    expect(checkBaseUrl('http://[::1]:9/', context)).toBe('http://[::1]:9')
  })

  it('refuses http anywhere but loopback', () => {
    expect(refusal('http://acme.api.identitynow.com')).toBe(
      'baseUrl must use https; http is allowed only on loopback (127.0.0.1, ::1, localhost)',
    )
    expect(refusal('http://169.254.169.254')).toContain('must use https')
    expect(refusal('http://127.0.0.1.evil.com')).toContain('must use https')
  })

  it('refuses anything that could move the request elsewhere', () => {
    expect(refusal('https://api.storekit.apple.com@evil.com')).toBe(
      'baseUrl must not contain user info (user:password@)',
    )
    expect(refusal('https://evil.com\\@api.storekit.apple.com')).toBe(
      'baseUrl must not contain a backslash, `@` or white space',
    )
    expect(refusal('https://evil.com#.api.identitynow.com')).toBe(
      'baseUrl must not contain a query or fragment',
    )
    expect(refusal('https://evil.com?x=.api.identitynow.com')).toBe(
      'baseUrl must not contain a query or fragment',
    )
    expect(refusal('ftp://example.com')).toBe('baseUrl must use https (got ftp)')
    expect(refusal('not a url')).toBe(
      'baseUrl is not a valid URL: expected e.g. https://api.example.com',
    )
  })

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.1.2.3')).toBe(true)
    expect(isLoopbackHost('[::1]')).toBe(true)
    expect(isLoopbackHost('LOCALHOST')).toBe(true)
    expect(isLoopbackHost('10.0.0.1')).toBe(false)
    expect(isLoopbackHost('localhost.evil.com')).toBe(false)
  })

  it('refuses link-local, unique-local and unspecified addresses in every spelling', () => {
    for (const [input, host] of [
      ['https://169.254.169.254/latest', '169.254.169.254'],
      ['https://0xa9fea9fe', '169.254.169.254'],
      ['https://2852039166', '169.254.169.254'],
      ['https://[fd00:ec2::254]', '[fd00:ec2::254]'],
      ['https://[::ffff:a9fe:a9fe]', '[::ffff:a9fe:a9fe]'],
      ['https://[fe80::1]', '[fe80::1]'],
      ['https://0.0.0.0', '0.0.0.0'],
    ] as const) {
      expect(refusal(input)).toBe(
        `baseUrl must not point at a link-local, unique-local or unspecified address (${host})`,
      )
    }
    expect(checkBaseUrl('https://10.1.2.3', context)).toBe('https://10.1.2.3')
  })
})
