import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppleSimulator, type AppleSimulator } from '../src/apple/index.js'
import { appleJwt, callApple } from './apple-helpers.js'

const UNAUTHENTICATED = /^Unauthenticated\n\nRequest ID: [A-Z2-7]{26}\.0\.0$/
const UNKNOWN_TOKEN =
  '/inApps/v1/notifications/test/0a1b2c3d-0000-4000-8000-000000000000_1700000000000'

describe('Apple simulator: JWT authentication', () => {
  let sim: AppleSimulator
  const nowS = (): number => Math.floor(Date.now() / 1000)

  beforeAll(async () => {
    sim = await startAppleSimulator({ rateLimits: 'off' })
  })
  afterAll(() => sim.close())

  it('hands out an ES256 .p8 key with its ids, already registered', async () => {
    const { credentials } = sim
    expect(credentials.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/)
    expect(credentials.keyId).toMatch(/^[A-Z0-9]{10}$/)
    expect(credentials.issuerId).toMatch(/^[0-9a-f-]{36}$/)
    expect(credentials.bundleId).toBe('com.example.notiprobe')
    const ok = await callApple(sim, 'GET', UNKNOWN_TOKEN)
    expect(ok.status).toBe(404)
    expect(ok.json).toEqual({ errorCode: 4040008, errorMessage: expect.any(String) as string })
  })

  const refusals: [string, string, () => Promise<string | null>][] = [
    ['no Authorization header', 'no Bearer token', () => Promise.resolve(null)],
    ['a token that is not a JWT', 'token is not a JWS', () => Promise.resolve('not-a-jwt')],
    [
      'another audience',
      'unexpected "aud" claim value',
      () => appleJwt(sim, { claims: { aud: 'appstoreconnect-v2' } }),
    ],
    [
      'another bundle id',
      'bid "com.example.other" is not com.example.notiprobe',
      () => appleJwt(sim, { claims: { bid: 'com.example.other' } }),
    ],
    [
      'no bundle id',
      'missing required "bid" claim',
      () => appleJwt(sim, { claims: { bid: undefined } }),
    ],
    [
      'another issuer',
      'unexpected "iss" claim value',
      () => appleJwt(sim, { claims: { iss: 'someone-else' } }),
    ],
    [
      'an expired token',
      '"exp" claim timestamp check failed',
      () => appleJwt(sim, { claims: { iat: nowS() - 600, exp: nowS() - 5 } }),
    ],
    [
      'iat in the future',
      'iat is in the future',
      () => appleJwt(sim, { claims: { iat: nowS() + 600, exp: nowS() + 900 } }),
    ],
    [
      'a lifetime over 60 minutes',
      'exp is more than 60 minutes after iat',
      () => appleJwt(sim, { claims: { exp: nowS() + 3601 } }),
    ],
    ['no exp', 'missing required "exp" claim', () => appleJwt(sim, { claims: { exp: undefined } })],
    [
      'an unknown kid',
      'unknown kid ZZZZZZZZZZ',
      () => appleJwt(sim, { header: { kid: 'ZZZZZZZZZZ' } }),
    ],
    [
      'typ other than JWT',
      'typ at+jwt is not JWT',
      () => appleJwt(sim, { header: { typ: 'at+jwt' } }),
    ],
    [
      'a signature by another key under the same kid',
      'signature verification failed',
      () => {
        const other = generateKeyPairSync('ec', { namedCurve: 'P-256' })
        return appleJwt(sim, {
          privateKeyPem: other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        })
      },
    ],
  ]

  it.each(refusals)('refuses %s with a plain-text 401', async (_name, reason, token) => {
    const response = await callApple(sim, 'GET', UNKNOWN_TOKEN, { token: await token() })
    expect(response.status).toBe(401)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(response.text).toMatch(UNAUTHENTICATED)
    expect(response.json).toBeUndefined()
    expect(sim.inspect().authFailures.at(-1)?.reason).toBe(reason)
  })

  it('refuses an HS256 token even with a known kid', async () => {
    const header = Buffer.from(
      JSON.stringify({ alg: 'HS256', kid: sim.credentials.keyId, typ: 'JWT' }),
    ).toString('base64url')
    const token = `${header}.${Buffer.from('{}').toString('base64url')}.c2ln`
    const response = await callApple(sim, 'GET', UNKNOWN_TOKEN, { token })
    expect(response.status).toBe(401)
    expect(sim.inspect().authFailures.at(-1)?.reason).toBe('alg HS256 is not ES256')
  })

  it('accepts a token at most 60 minutes long and tolerates a little clock skew on iat', async () => {
    const iat = nowS() + 30
    const token = await appleJwt(sim, { claims: { iat, exp: iat + 3600 } })
    const response = await callApple(sim, 'GET', UNKNOWN_TOKEN, { token })
    expect(response.status).toBe(404)
  })

  it('accepts keys registered later, under their own issuer', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    sim.registerKey({
      issuerId: 'issuer-2',
      keyId: 'KEY2KEY2KE',
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    })
    const token = await appleJwt(sim, {
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      header: { kid: 'KEY2KEY2KE' },
      claims: { iss: 'issuer-2' },
    })
    expect((await callApple(sim, 'GET', UNKNOWN_TOKEN, { token })).status).toBe(404)
    expect(() => {
      sim.registerKey({ issuerId: 'x', keyId: 'RSA', publicKey: rsaPublicKeyPem() })
    }).toThrow('registerKey needs a P-256 (ES256) public key')
  })

  it('checks time claims against the injected clock', async () => {
    const fixed = Date.UTC(2030, 0, 1)
    const clocked = await startAppleSimulator({ now: () => fixed, rateLimits: 'off' })
    try {
      const current = await callApple(clocked, 'GET', UNKNOWN_TOKEN, { nowS: fixed / 1000 })
      expect(current.status).toBe(404)
      const realTime = await callApple(clocked, 'GET', UNKNOWN_TOKEN)
      expect(realTime.status).toBe(401)
    } finally {
      await clocked.close()
    }
  })

  it('answers unknown routes with a 404 JSON body, before authentication', async () => {
    const response = await callApple(sim, 'GET', '/inApps/v1/nothing-here', { token: null })
    expect(response.status).toBe(404)
    expect(response.json).toEqual({ errorCode: 4040000, errorMessage: 'Not found.' })
    const wrongMethod = await callApple(sim, 'GET', '/inApps/v1/notifications/test')
    expect(wrongMethod.status).toBe(404)
  })
})

function rsaPublicKeyPem(): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
  return publicKey.export({ type: 'spki', format: 'pem' }).toString()
}
