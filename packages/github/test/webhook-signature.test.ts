import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { signWebhookBody, verifyWebhookSignature } from '../src/webhook-signature.js'

// GitHub's documented test vector (docs: validating-webhook-deliveries).
const SECRET = "It's a Secret to Everybody"
const BODY = 'Hello, World!'
const SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'

describe('X-Hub-Signature-256', () => {
  it("matches GitHub's documented test vector", () => {
    expect(signWebhookBody(SECRET, BODY)).toBe(SIGNATURE)
    expect(verifyWebhookSignature(SECRET, Buffer.from(BODY), SIGNATURE)).toBe(true)
    expect(
      verifyWebhookSignature(
        SECRET,
        Buffer.from(BODY),
        SIGNATURE.toUpperCase().replace('SHA256', 'sha256'),
      ),
    ).toBe(true)
  })

  it('accepts whatever @octokit/webhooks-methods signs, and agrees with its verify', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ minLength: 1, maxLength: 500, unit: 'grapheme' }),
        async (secret, body) => {
          const signature = await octokitSign(secret, body)
          expect(verifyWebhookSignature(secret, Buffer.from(body), signature)).toBe(true)
          expect(signWebhookBody(secret, body)).toBe(signature)
          expect(await octokitVerify(secret, body, signWebhookBody(secret, body))).toBe(true)
        },
      ),
      { numRuns: 100 },
    )
  })

  it.each([
    ['another secret', SIGNATURE.replace('sha256=7571', 'sha256=7570')],
    ['sha1 form', 'sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59'],
    ['no prefix', SIGNATURE.slice('sha256='.length)],
    ['short', SIGNATURE.slice(0, -2)],
    ['long', `${SIGNATURE}00`],
    ['not hex', SIGNATURE.replace(/.$/, 'g')],
    ['empty', ''],
  ])('refuses a wrong signature: %s', (_name, header) => {
    expect(verifyWebhookSignature(SECRET, Buffer.from(BODY), header)).toBe(false)
  })

  it('refuses a missing header and a changed body', () => {
    expect(verifyWebhookSignature(SECRET, Buffer.from(BODY), undefined)).toBe(false)
    expect(verifyWebhookSignature(SECRET, Buffer.from(`${BODY} `), SIGNATURE)).toBe(false)
  })
})
