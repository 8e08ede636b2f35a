import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { NotificationTestError, isNotificationTestError } from '../src/error.js'
import { VERSION } from '../src/version.js'

const JWT =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6IkFCQzEyMyIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJpc3N1ZXIiLCJhdWQiOiJhcHBzdG9yZWNvbm5lY3QtdjEifQ.c2lnbmF0dXJlLXNlY3JldA'
const PEM =
  '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSECRETKEYMATERIAL\n-----END PRIVATE KEY-----'
const CLIENT_SECRET = 'cs-4f0e9d8c7b6a5f4e3d2c1b0a'
const BEARER = 'opaque-access-token-0123456789abcdef'

function everythingPrinted(error: NotificationTestError): string {
  return [
    error.message,
    error.stack ?? '',
    inspect(error, { depth: 10 }),
    inspect({ wrapped: error }, { depth: 10 }),
    JSON.stringify(error),
    JSON.stringify({ error }),
    String(error),
  ].join('\n')
}

describe('NotificationTestError', () => {
  it('carries every field of the design table, and JSON shows them', () => {
    const error = new NotificationTestError({
      vendor: 'apple',
      operation: 'apple.getTestNotificationStatus',
      kind: 'rate_limited',
      message: 'Apple rate limit reached; retry after the wait.',
      httpStatus: 429,
      vendorCode: 4290000,
      vendorMessage: 'Rate limit exceeded.',
      retryable: true,
      retryAfterMs: 1500,
      requestId: 'REQ-1',
      cause: new Error('underlying'),
    })
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('NotificationTestError')
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'NotificationTestError',
      message: 'Apple rate limit reached; retry after the wait.',
      vendor: 'apple',
      operation: 'apple.getTestNotificationStatus',
      kind: 'rate_limited',
      httpStatus: 429,
      vendorCode: 4290000,
      vendorMessage: 'Rate limit exceeded.',
      retryable: true,
      retryAfterMs: 1500,
      requestId: 'REQ-1',
    })
    expect(Object.keys(error)).not.toContain('cause')
    expect(error.cause).toBeInstanceOf(Error)
  })

  it('never has an empty message', () => {
    const error = new NotificationTestError({
      vendor: 'x',
      operation: 'x.op',
      kind: 'network',
      message: '  ',
    })
    expect(error.message).toBe('x.op failed (network).')
  })

  it('is recognised across two copies of the package (source and build)', async () => {
    const built = await import('../dist/index.js')
    expect(built.NotificationTestError).not.toBe(NotificationTestError)
    const fromBuild = new built.NotificationTestError({
      vendor: 'a',
      operation: 'a.b',
      kind: 'auth',
      message: 'm',
    })
    expect(isNotificationTestError(fromBuild)).toBe(true)
    expect(fromBuild instanceof NotificationTestError).toBe(true)
    expect(
      built.isNotificationTestError(
        new NotificationTestError({ vendor: 'a', operation: 'a.b', kind: 'auth', message: 'm' }),
      ),
    ).toBe(true)
    expect(isNotificationTestError(new Error('x'))).toBe(false)
    expect(isNotificationTestError({ kind: 'auth' })).toBe(false)
  })

  it('never shows a secret planted in message, vendor text, headers, URL, body or a nested cause', () => {
    const axiosLike = Object.assign(new Error(`Request failed: Authorization: Bearer ${BEARER}`), {
      code: 'ECONNRESET',
      config: {
        url: `https://acme.api.identitynow.com/oauth/token?client_secret=${CLIENT_SECRET}`,
        headers: { Authorization: `Bearer ${JWT}` },
        data: `grant_type=client_credentials&client_id=id&client_secret=${CLIENT_SECRET}`,
      },
      request: { _header: `POST / HTTP/1.1\r\nAuthorization: Bearer ${BEARER}\r\n` },
      cause: Object.assign(new Error(`key was ${PEM}`), { cause: new Error(`jwt ${JWT}`) }),
    })
    const error = new NotificationTestError({
      vendor: 'sailpoint',
      operation: 'sailpoint.token',
      kind: 'network',
      message: `Token request with client_secret=${CLIENT_SECRET} and Bearer ${BEARER} failed; signed ${JWT}; key ${PEM}`,
      vendorMessage: `{"access_token":"${BEARER}","client_secret":"${CLIENT_SECRET}"}`,
      cause: axiosLike,
    })
    const printed = everythingPrinted(error)
    for (const secret of [
      BEARER,
      CLIENT_SECRET,
      JWT,
      'SECRETKEYMATERIAL',
      'c2lnbmF0dXJlLXNlY3JldA',
    ]) {
      expect(printed).not.toContain(secret)
    }
    expect(printed).toContain('[REDACTED')
    expect(inspect(error)).toContain("kind: 'network'")
    expect(inspect(error)).toContain("code: 'ECONNRESET'")
  })
})

describe('VERSION', () => {
  it('matches package.json, as sent in User-Agent', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    expect(VERSION).toBe(pkg.version)
  })
})
