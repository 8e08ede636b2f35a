import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { NotificationTestError } from '@notiprobe/core'
import { systemClock } from '@notiprobe/core/adapter'
import { describe, expect, it } from 'vitest'
import {
  APPLE_PRODUCTION_URL,
  APPLE_SANDBOX_URL,
  createAppleRateLimiter,
  createAppleTester,
} from '../src/index.js'
import { makeKey, testerOptions } from './helpers/keys.js'
import { thrownBy } from '@notiprobe/core/testing'

function configError(make: () => unknown): NotificationTestError {
  const error = thrownBy(make)
  expect(error.kind).toBe('config')
  return error
}

const options = testerOptions()
const otherClock = { ...systemClock }
const tmp = mkdtempSync(join(tmpdir(), 'notiprobe-apple-'))

describe('createAppleTester', () => {
  it('gives a tester for valid options, with the environment’s host and status rate limit', () => {
    const sandbox = createAppleTester(options)
    expect(sandbox).toMatchObject({
      vendor: 'apple',
      environment: 'Sandbox',
      bundleId: 'com.example.app',
      baseUrl: APPLE_SANDBOX_URL,
      // Apple's hourly budget lets Sandbox check a second apart (360 an hour).
      pollIntervalMs: 1000,
    })
    expect(createAppleTester({ ...options, rateLimits: 'per-second' }).pollIntervalMs).toBe(10_000)
    const production = createAppleTester({
      ...options,
      environment: 'Production',
      appAppleId: 1234567890,
    })
    expect(production).toMatchObject({
      environment: 'Production',
      baseUrl: APPLE_PRODUCTION_URL,
      pollIntervalMs: 1000,
    })
    expect(createAppleTester({ ...options, rateLimits: 'off' }).pollIntervalMs).toBe(250)
    expect(createAppleTester({ ...options, baseUrl: 'http://127.0.0.1:8080/' }).baseUrl).toBe(
      'http://127.0.0.1:8080',
    )
    for (const tester of [sandbox, production]) tester.close()
  })

  it('accepts every optional setting', () => {
    const tester = createAppleTester({
      ...options,
      appAppleId: 1,
      rootCertificates: undefined,
      timeoutMs: 5000,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 1000 },
      rateLimits: 'per-second',
      rateLimiter: createAppleRateLimiter(),
      clock: systemClock,
      random: Math.random,
      logger: { debug: () => undefined },
    })
    expect(tester.vendor).toBe('apple')
  })

  it('names each missing field', () => {
    expect(configError(() => createAppleTester({} as never)).message).toBe(
      "Invalid Apple tester options: issuerId: is required (the issuer id from App Store Connect, a UUID); keyId: is required (the 10-character id of the In-App Purchase key); privateKey: is required (the .p8 key as PEM text, the path of the .p8 file, or a KeyObject); bundleId: is required (the app's bundle id, e.g. com.example.app); environment: is required (Sandbox or Production)",
    )
  })

  it('says what each malformed field should look like', () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { issuerId: 'my-team' },
        'issuerId: expected the issuer id from App Store Connect (Users and Access, Integrations), a UUID such as 57246542-96fe-1a63-e053-0824d011072a',
      ],
      [
        { keyId: '2x9r4hxf34' },
        'keyId: expected the 10-character id of the In-App Purchase key (upper-case letters and digits, e.g. 2X9R4HXF34)',
      ],
      [
        { keyId: options.issuerId },
        'keyId: expected the 10-character id of the In-App Purchase key (upper-case letters and digits, e.g. 2X9R4HXF34)',
      ],
      [
        { bundleId: 'com example app' },
        "bundleId: expected the app's bundle id, e.g. com.example.app",
      ],
      [{ environment: 'sandbox' }, 'environment: expected Sandbox or Production'],
      [
        { appAppleId: '1234' },
        "appAppleId: expected the app's Apple ID, a number such as 1234567890",
      ],
      [{ appAppleId: 1.5 }, "appAppleId: expected the app's Apple ID, a whole number"],
      [{ timeoutMs: 0 }, 'timeoutMs: expected at least 1 millisecond'],
      [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts: expected at least 1 attempt'],
      [{ retry: { jitter: true } }, 'retry: Unrecognized key: "jitter"'],
      [{ rateLimits: 'none' }, 'rateLimits: expected hourly, per-second or off'],
      [{ rateLimits: 'vendor' }, 'rateLimits: expected hourly, per-second or off'],
      [{ rateLimiter: {} }, 'rateLimiter: expected a rate limiter from createAppleRateLimiter()'],
      [
        { rateLimits: 'off', rateLimiter: createAppleRateLimiter() },
        "rateLimiter: applies only with rateLimits 'hourly' or 'per-second'; 'off' has no limiter",
      ],
      [
        { rateLimiter: createAppleRateLimiter({ clock: otherClock }) },
        'rateLimiter: counts time on another clock than `clock`: create it with the same clock',
      ],
      [
        { clock: Date },
        'clock: expected a Clock with now(), sleep(ms, signal) and setTimer(callback, ms)',
      ],
      [{ logger: console.log }, 'logger: expected a Logger with debug()'],
      [
        { rootCertificates: 'pem' },
        'rootCertificates: expected an array of PEM or DER root certificates',
      ],
      [{ privateKeyFile: 'x.p8' }, 'Unrecognized key: "privateKeyFile"'],
    ]
    for (const [change, message] of cases) {
      expect(configError(() => createAppleTester({ ...options, ...change })).message).toBe(
        `Invalid Apple tester options: ${message}`,
      )
    }
  })

  it('needs appAppleId in Production', () => {
    expect(
      configError(() => createAppleTester({ ...options, environment: 'Production' })).message,
    ).toBe(
      "Invalid Apple tester options: appAppleId: is required when environment is Production (Production notifications are verified against the app's Apple ID)",
    )
  })

  it('refuses base URLs that could leak credentials', () => {
    expect(
      configError(() => createAppleTester({ ...options, baseUrl: 'http://api.example.com' }))
        .message,
    ).toBe('baseUrl must use https; http is allowed only on loopback (127.0.0.1, ::1, localhost)')
    expect(
      configError(() =>
        createAppleTester({ ...options, baseUrl: 'https://user:pw@api.example.com' }),
      ).message,
    ).toBe('baseUrl must not contain user info (user:password@)')
    expect(configError(() => createAppleTester({ ...options, baseUrl: 'not a url' })).message).toBe(
      'baseUrl is not a valid URL: expected e.g. https://api.example.com',
    )
  })

  it('refuses root certificates that are not CA certificates', () => {
    expect(
      configError(() => createAppleTester({ ...options, rootCertificates: ['nope'] })).message,
    ).toBe(
      'rootCertificates[0]: expected a PEM certificate (a BEGIN CERTIFICATE block) or DER bytes',
    )
  })
})

describe('the private key', () => {
  it('is accepted as PEM, with literal \\n escapes, as bare base64, as a .p8 path or as a KeyObject', () => {
    const key = makeKey()
    const path = join(tmp, 'AuthKey_2X9R4HXF34.p8')
    writeFileSync(path, `\n${key.pem}\n`)
    const forms = [
      key.pem,
      `  ${key.pem}  `,
      key.pem.replace(/\n/g, '\\n'),
      key.body,
      path,
      key.privateKey,
    ]
    for (const privateKey of forms) {
      expect(createAppleTester({ ...options, privateKey }).vendor).toBe('apple')
    }
  })

  it('is refused when it is not a key, without quoting it', () => {
    const key = makeKey()
    const damaged = key.pem.replace(key.body.slice(10, 30), 'A'.repeat(20))
    const error = configError(() => createAppleTester({ ...options, privateKey: damaged }))
    expect(error.message).toBe(
      'privateKey: not a readable private key; expected the unencrypted PKCS#8 PEM content of an AuthKey_<keyId>.p8 file (a BEGIN PRIVATE KEY block).',
    )
    expect(
      configError(() => createAppleTester({ ...options, privateKey: 'hunter2 is my key' })).message,
    ).toBe(
      'privateKey: neither a PEM private key (a BEGIN PRIVATE KEY block) nor the path of a .p8 file.',
    )
  })

  it('must be a P-256 key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    expect(
      configError(() =>
        createAppleTester({
          ...options,
          privateKey: rsa.export({ type: 'pkcs8', format: 'pem' }).toString(),
        }),
      ).message,
    ).toBe('privateKey: expected a P-256 (ES256) key, as App Store Connect issues; got a rsa key.')
    expect(
      configError(() => createAppleTester({ ...options, privateKey: makeKey('P-384').pem }))
        .message,
    ).toBe(
      'privateKey: expected a P-256 (ES256) key, as App Store Connect issues; got an EC key on secp384r1.',
    )
    expect(
      configError(() => createAppleTester({ ...options, privateKey: makeKey().publicKey })).message,
    ).toBe('privateKey: expected a private key, got a public or secret KeyObject.')
  })

  it('names the file that cannot be read', () => {
    const missing = join(tmp, 'AuthKey_MISSING.p8')
    expect(configError(() => createAppleTester({ ...options, privateKey: missing })).message).toBe(
      `privateKey: cannot read the key file ${missing} (ENOENT).`,
    )
    const notPem = join(tmp, 'not-a-key.p8')
    writeFileSync(notPem, 'hello')
    expect(configError(() => createAppleTester({ ...options, privateKey: notPem })).message).toBe(
      `privateKey: the file ${notPem} holds no PEM private key.`,
    )
    const big = join(tmp, 'big.p8')
    writeFileSync(big, 'x'.repeat(70_000))
    expect(configError(() => createAppleTester({ ...options, privateKey: big })).message).toBe(
      `privateKey: the file ${big} is 70000 bytes, too large for a .p8 key.`,
    )
  })
})
