import { inspect } from 'node:util'
import { redact } from '@notiprobe/core'
import { registerSecret } from '@notiprobe/core/adapter'
import { createSailPointTester } from '@notiprobe/sailpoint'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { answer, startHostileVendor, typedFailure, type HostileVendor } from './hostile-vendor.js'

/**
 * Defect class 9: a vendor echoing a secret in another form (URL-encoded, base64-wrapped, split
 * across lines, HTML-escaped) leaks nothing, and fetched tokens are forgotten once unusable.
 */

const CLIENT_SECRET = 'cl1ent/s3cret+value&more'
const TOKEN = 'opaque.t0ken/with+chars&1'

function echoes(secret: string): string[] {
  return [
    encodeURIComponent(secret),
    Buffer.from(`client:${secret}`).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    secret.replace(/&/g, '&amp;'),
    `${secret.slice(0, 9)}\r\n  ${secret.slice(9)}`,
    JSON.stringify(secret).replace(/\//g, '\\/'),
  ]
}

/** Parts of a secret long enough to matter, in any of the forms the vendor used. */
function fragments(secret: string): string[] {
  return [secret.slice(0, 12), secret.slice(-12), encodeURIComponent(secret).slice(0, 12)]
}

describe('a vendor echoing secrets in other forms', () => {
  let vendor: HostileVendor | undefined
  afterEach(async () => {
    await vendor?.close()
    vendor = undefined
  })

  it('SailPoint: neither the client secret nor the opaque token leaks from the error', async () => {
    vendor = await startHostileVendor((req, res) => {
      if (req.url?.startsWith('/oauth/token') === true) {
        answer(
          res,
          200,
          JSON.stringify({ access_token: TOKEN, token_type: 'bearer', expires_in: 749 }),
        )
        return
      }
      const said = [...echoes(CLIENT_SECRET), ...echoes(TOKEN)].join(' | ')
      answer(
        res,
        400,
        JSON.stringify({
          detailCode: '400.1 Bad request content',
          trackingId: 'x',
          messages: [{ text: said }],
        }),
      )
    })
    const tester = createSailPointTester({
      baseUrl: vendor.url,
      clientId: 'hostile-client',
      clientSecret: CLIENT_SECRET,
      apiVersion: 'beta',
      retry: { maxAttempts: 1 },
    })
    const { error } = await typedFailure(tester.listTemplates({}, { timeoutMs: 3000 }))
    tester.close()
    expect(error.kind).toBe('invalid_input')
    const shown = [error.message, JSON.stringify(error), inspect(error, { depth: 6 })].join('\n')
    for (const secret of [CLIENT_SECRET, TOKEN]) {
      for (const echo of echoes(secret)) expect(shown).not.toContain(echo)
      for (const fragment of fragments(secret)) expect(shown).not.toContain(fragment)
    }
    expect(error.vendorMessage).toContain('[REDACTED]')
  })
})

describe('registered secrets are forgotten when they can no longer be used', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('by the function registerSecret returns', () => {
    const forget = registerSecret('short-lived-token-0001')
    expect(redact('a short-lived-token-0001 b')).toBe('a [REDACTED] b')
    forget()
    expect(redact('a short-lived-token-0001 b')).toBe('a short-lived-token-0001 b')
  })

  it('after forgetAfterMs', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    registerSecret('expiring-token-0002', { forgetAfterMs: 60_000 })
    expect(redact('expiring-token-0002')).toBe('[REDACTED]')
    vi.advanceTimersByTime(60_001)
    expect(redact('expiring-token-0002')).toBe('expiring-token-0002')
  })

  it('keeps a bounded number of expiring tokens, so redaction does not slow as they accumulate', () => {
    for (let i = 0; i < 5000; i++)
      registerSecret(`accumulated-token-${i}`, { forgetAfterMs: 3_600_000 })
    expect(redact('accumulated-token-0 ')).toBe('accumulated-token-0 ')
    expect(redact('accumulated-token-4999 ')).toBe('[REDACTED] ')
  })
})
