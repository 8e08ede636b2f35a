import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto'

export interface TestKey {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
  readonly pem: string
  /** The base64 body of the PEM, without armour or line breaks. */
  readonly body: string
}

export function makeKey(curve: 'P-256' | 'P-384' = 'P-256'): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')
  return { privateKey, publicKey, pem, body }
}

export const ISSUER_ID = '57246542-96fe-1a63-e053-0824d011072a'
export const KEY_ID = '2X9R4HXF34'
export const BUNDLE_ID = 'com.example.app'

/** Valid tester options for a fresh key. */
export function testerOptions(key: TestKey = makeKey()) {
  return {
    issuerId: ISSUER_ID,
    keyId: KEY_ID,
    privateKey: key.pem,
    bundleId: BUNDLE_ID,
    environment: 'Sandbox' as const,
  }
}

export { randomUUID }
