import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APPLE_ROOT_CA_G3_PEM, appleOptionsFromEnv, createAppleTester } from '../src/index.js'
import { BUNDLE_ID, ISSUER_ID, KEY_ID, makeKey } from './helpers/keys.js'
import { thrownBy } from '@notiprobe/core/testing'

const testerFromEnv = (...args: Parameters<typeof appleOptionsFromEnv>) =>
  createAppleTester(appleOptionsFromEnv(...args))

const key = makeKey()
const tmp = mkdtempSync(join(tmpdir(), 'notiprobe-apple-env-'))
const keyFile = join(tmp, `AuthKey_${KEY_ID}.p8`)
writeFileSync(keyFile, key.pem)

const env = {
  APPLE_ISSUER_ID: ISSUER_ID,
  APPLE_KEY_ID: KEY_ID,
  APPLE_PRIVATE_KEY: key.pem,
  APPLE_BUNDLE_ID: BUNDLE_ID,
  PATH: '/usr/bin',
}

function configMessage(make: () => unknown): string {
  const error = thrownBy(make)
  expect(error.kind).toBe('config')
  expect(error.operation).toBe('apple.fromEnv')
  return error.message
}

describe('appleOptionsFromEnv', () => {
  it('reads every variable, Sandbox by default', () => {
    const tester = testerFromEnv(env)
    expect(tester).toMatchObject({ vendor: 'apple', environment: 'Sandbox', bundleId: BUNDLE_ID })
    tester.close()
  })

  it('reads the key file, the environment in any case, the app id, base URL and roots', () => {
    const roots = join(tmp, 'roots.pem')
    writeFileSync(roots, APPLE_ROOT_CA_G3_PEM)
    const options = appleOptionsFromEnv({
      ...env,
      APPLE_PRIVATE_KEY: '',
      APPLE_PRIVATE_KEY_FILE: keyFile,
      APPLE_ENVIRONMENT: 'production',
      APPLE_APP_APPLE_ID: '1234567890',
      APPLE_BASE_URL: 'http://127.0.0.1:9999/',
      APPLE_ROOT_CERTIFICATES_FILE: roots,
    })
    expect(options).toMatchObject({
      issuerId: ISSUER_ID,
      keyId: KEY_ID,
      bundleId: BUNDLE_ID,
      environment: 'Production',
      appAppleId: 1234567890,
      baseUrl: 'http://127.0.0.1:9999',
      rootCertificates: [APPLE_ROOT_CA_G3_PEM],
    })
    expect(createAppleTester(options).baseUrl).toBe('http://127.0.0.1:9999')
  })

  it('lets overrides win over the environment', () => {
    const tester = testerFromEnv(env, {
      bundleId: 'com.example.other',
      rateLimits: 'off',
      baseUrl: undefined,
    })
    expect(tester.bundleId).toBe('com.example.other')
    expect(tester.pollIntervalMs).toBe(250)
    expect(
      testerFromEnv(
        { PATH: '' },
        { issuerId: ISSUER_ID, keyId: KEY_ID, privateKey: key.pem, bundleId: BUNDLE_ID },
      ).vendor,
    ).toBe('apple')
  })

  it('names every missing variable', () => {
    expect(configMessage(() => testerFromEnv({ APPLE_ISSUER_ID: '  ' }))).toBe(
      "Incomplete Apple settings in the environment: APPLE_ISSUER_ID: is required (the issuer id from App Store Connect); APPLE_KEY_ID: is required (the id of the In-App Purchase key); APPLE_BUNDLE_ID: is required (the app's bundle id); APPLE_PRIVATE_KEY or APPLE_PRIVATE_KEY_FILE: is required (the .p8 key as PEM text, or the path of the .p8 file)",
    )
    expect(configMessage(() => testerFromEnv({ ...env, APPLE_ENVIRONMENT: 'Production' }))).toBe(
      "Incomplete Apple settings in the environment: APPLE_APP_APPLE_ID: is required when APPLE_ENVIRONMENT is Production (Production notifications are verified against the app's Apple ID)",
    )
    expect(configMessage(() => testerFromEnv({ ...env, APPLE_PRIVATE_KEY_FILE: keyFile }))).toBe(
      'Incomplete Apple settings in the environment: APPLE_PRIVATE_KEY, APPLE_PRIVATE_KEY_FILE: set one of them, not both',
    )
  })

  it('names every malformed variable', () => {
    expect(
      configMessage(() =>
        testerFromEnv({
          ...env,
          APPLE_KEY_ID: 'abc',
          APPLE_ENVIRONMENT: 'staging',
          APPLE_APP_APPLE_ID: 'twelve',
        }),
      ),
    ).toBe(
      "Invalid Apple settings in the environment: APPLE_KEY_ID: expected the 10-character id of the In-App Purchase key (upper-case letters and digits, e.g. 2X9R4HXF34); APPLE_ENVIRONMENT: expected Sandbox or Production; APPLE_APP_APPLE_ID: expected the app's Apple ID, a number such as 1234567890",
    )
    expect(
      configMessage(() => testerFromEnv({ ...env, APPLE_BASE_URL: 'http://api.example.com' })),
    ).toBe(
      'APPLE_BASE_URL must use https; http is allowed only on loopback (127.0.0.1, ::1, localhost)',
    )
  })

  it('names the key variable when the key is bad', () => {
    expect(configMessage(() => testerFromEnv({ ...env, APPLE_PRIVATE_KEY: 'swordfish' }))).toBe(
      'APPLE_PRIVATE_KEY: neither a PEM private key (a BEGIN PRIVATE KEY block) nor the path of a .p8 file.',
    )
    const missing = join(tmp, 'nope.p8')
    const fileEnv = { ...env, APPLE_PRIVATE_KEY: undefined }
    expect(
      configMessage(() => testerFromEnv({ ...fileEnv, APPLE_PRIVATE_KEY_FILE: missing })),
    ).toBe(`APPLE_PRIVATE_KEY_FILE: cannot read the key file ${missing} (ENOENT).`)
    expect(
      configMessage(() => testerFromEnv({ ...fileEnv, APPLE_PRIVATE_KEY_FILE: 'AuthKey' })),
    ).toBe('APPLE_PRIVATE_KEY_FILE: cannot read the key file AuthKey (ENOENT).')
    const message = configMessage(() =>
      testerFromEnv({ ...fileEnv, APPLE_PRIVATE_KEY_FILE: key.pem }),
    )
    expect(message).toBe(
      'APPLE_PRIVATE_KEY_FILE: expected the path of the .p8 file, but it holds key text; pass the key text as the key itself instead.',
    )
  })

  it('names the roots file when it cannot be read or holds no certificate', () => {
    const missing = join(tmp, 'roots-missing.pem')
    expect(
      configMessage(() => testerFromEnv({ ...env, APPLE_ROOT_CERTIFICATES_FILE: missing })),
    ).toBe(`APPLE_ROOT_CERTIFICATES_FILE: cannot read ${missing} (ENOENT)`)
    const empty = join(tmp, 'empty.pem')
    writeFileSync(empty, 'nothing here')
    expect(
      configMessage(() => testerFromEnv({ ...env, APPLE_ROOT_CERTIFICATES_FILE: empty })),
    ).toBe(
      'APPLE_ROOT_CERTIFICATES_FILE[0]: expected a PEM certificate (a BEGIN CERTIFICATE block) or DER bytes',
    )
  })
})
