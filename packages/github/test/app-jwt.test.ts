import { createPrivateKey } from 'node:crypto'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  APP_JWT_BACKDATE_SECONDS,
  APP_JWT_LIFETIME_SECONDS,
  APP_JWT_RENEW_BEFORE_SECONDS,
  createAppJwtSource,
} from '../src/app-jwt.js'
import { loadAppPrivateKey } from '../src/private-key.js'
import { appKey } from './helpers/keys.js'
import { ManualClock } from './helpers/manual-clock.js'

function source(pem = appKey().pkcs1, issuer = 'Iv1.8a61f9b3a7aba766') {
  const loaded = loadAppPrivateKey(pem)
  if (!('key' in loaded)) throw new Error(loaded.problem)
  const clock = new ManualClock()
  return { jwts: createAppJwtSource({ issuer, privateKey: loaded.key, clock }), clock }
}

describe('the GitHub App JWT', () => {
  it.each([
    ['PKCS#1 (as GitHub downloads it)', appKey().pkcs1],
    ['PKCS#8', appKey().pkcs8],
  ])(
    'is RS256, iss = the issuer, iat 60 s back, exp within 10 min, from a %s key',
    async (_name, pem) => {
      const { jwts, clock } = source(pem)
      const jwt = await jwts.get()
      expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', typ: 'JWT' })
      const now = Math.floor(clock.now() / 1000)
      const { payload } = await jwtVerify(jwt, appKey().publicKey, {
        algorithms: ['RS256'],
        issuer: 'Iv1.8a61f9b3a7aba766',
        currentDate: new Date(clock.now()),
      })
      expect(payload.iat).toBe(now - APP_JWT_BACKDATE_SECONDS)
      expect(payload.exp).toBe(now + APP_JWT_LIFETIME_SECONDS)
      expect(payload.exp! - now).toBeLessThanOrEqual(600)
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(600)
    },
  )

  it('the app id works as issuer too (GHES 3.13 and older)', async () => {
    const { jwts, clock } = source(appKey().pkcs1, '123456')
    const { payload } = await jwtVerify(await jwts.get(), appKey().publicKey, {
      currentDate: new Date(clock.now()),
    })
    expect(payload.iss).toBe('123456')
  })

  it('is reused until it nears expiry, then replaced', async () => {
    const { jwts, clock } = source()
    const first = await jwts.get()
    clock.advance((APP_JWT_LIFETIME_SECONDS - APP_JWT_RENEW_BEFORE_SECONDS - 1) * 1000)
    expect(await jwts.get()).toBe(first)
    clock.advance(1000)
    const second = await jwts.get()
    expect(second).not.toBe(first)
    const { payload } = await jwtVerify(second, appKey().publicKey, {
      currentDate: new Date(clock.now()),
    })
    expect(payload.exp).toBe(Math.floor(clock.now() / 1000) + APP_JWT_LIFETIME_SECONDS)
  })

  it('signs once for concurrent callers, and again after reset', async () => {
    const { jwts, clock } = source()
    const all = await Promise.all([jwts.get(), jwts.get(), jwts.get()])
    expect(new Set(all).size).toBe(1)
    jwts.reset()
    clock.advance(1000)
    expect(await jwts.get()).not.toBe(all[0])
  })

  it('refuses small or non-RSA keys when loading', () => {
    const ec = createPrivateKey({
      key: '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgevZzL1gdAFr88hb2\nOF/2NxApJCzGCEDdfSp6VQO30hyhRANCAAQRWz+jn65BtOMvdyHKcvjBeBSDZH2r\n1RTwjmYSi9R/zpBnuQ4EiMnCqfMPWiZqB4QdbAd0E7oH50VpuZ1P087G\n-----END PRIVATE KEY-----\n',
    })
    expect(loadAppPrivateKey(ec)).toEqual({
      problem: 'expected an RSA key (GitHub Apps sign RS256), got a key of type ec',
    })
    expect(loadAppPrivateKey(appKey().publicKey)).toEqual({
      problem: 'expected a private key, got a public or secret key',
    })
  })
})
