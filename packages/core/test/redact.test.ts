import { describe, expect, it } from 'vitest'
import { redact, redactValue, registerSecret } from '../src/redact.js'

describe('redact', () => {
  it('removes bearer and basic credentials and Authorization values', () => {
    expect(redact('Authorization: Bearer abc.def-ghi')).toBe('Authorization: [REDACTED]')
    expect(redact('sent Bearer abcdef123 to host')).toBe('sent Bearer [REDACTED] to host')
    expect(redact('Basic dXNlcjpwYXNz')).toBe('Basic [REDACTED]')
  })

  it('removes JWT-shaped strings and PEM blocks, even cut short', () => {
    expect(redact('jwt eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.sig_- end')).toBe(
      'jwt [REDACTED JWT] end',
    )
    expect(redact('a -----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY----- b')).toBe(
      'a [REDACTED PEM] b',
    )
    expect(redact('cut -----BEGIN EC PRIVATE KEY-----\nAAAA')).toBe('cut [REDACTED PEM]')
  })

  it('removes secret form and JSON fields', () => {
    expect(redact('grant_type=client_credentials&client_secret=s3cr3t&client_id=x')).toBe(
      'grant_type=client_credentials&client_secret=[REDACTED]&client_id=x',
    )
    expect(redact('{"access_token":"tok123","expires_in":749}')).toBe(
      '{"access_token":"[REDACTED]","expires_in":749}',
    )
  })

  it('keeps messages that name a secret field readable, and still removes quoted values', () => {
    expect(redact('privateKey: is required (the .p8 key)')).toBe(
      'privateKey: is required (the .p8 key)',
    )
    expect(redact('clientSecret: expected a string')).toBe('clientSecret: expected a string')
    expect(redact("{ privateKey: 'MIGHAgEAMBMGByqGSM49' }")).toBe("{ privateKey: '[REDACTED]' }")
    expect(redact('{"client_secret": "s3cr3t"}')).toBe('{"client_secret": "[REDACTED]"}')
    expect(redact('password=hunter2&user=x')).toBe('password=[REDACTED]&user=x')
  })

  it('removes registered secrets wherever they appear', () => {
    registerSecret('plain-looking-secret-value')
    registerSecret('short')
    expect(redact('x plain-looking-secret-value y short')).toBe('x [REDACTED] y short')
  })
})

describe('redactValue', () => {
  it('replaces values under secret-named keys and redacts strings deeply', () => {
    const circular: Record<string, unknown> = { name: 'loop' }
    circular.self = circular
    expect(
      redactValue({
        headers: { Authorization: 'Bearer x', 'Content-Type': 'application/json' },
        clientSecret: 'abc',
        nested: [{ note: 'token eyJa.eyJb.c' }],
        circular,
      }),
    ).toEqual({
      headers: { Authorization: '[REDACTED]', 'Content-Type': 'application/json' },
      clientSecret: '[REDACTED]',
      nested: [{ note: 'token [REDACTED JWT]' }],
      circular: { name: 'loop', self: '[Circular]' },
    })
  })
})
