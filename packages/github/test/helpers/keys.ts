import { generateKeyPairSync, type KeyObject } from 'node:crypto'

export interface AppKey {
  /** PKCS#1, `BEGIN RSA PRIVATE KEY`: what GitHub's "Generate a private key" downloads. */
  readonly pkcs1: string
  readonly pkcs8: string
  readonly publicKey: KeyObject
  /** The base64 body of the PKCS#1 PEM, for leak checks. */
  readonly body: string
}

let cached: AppKey | undefined

/** One 2048-bit RSA key per test file: generating one takes a noticeable moment. */
export function appKey(): AppKey {
  if (cached !== undefined) return cached
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  cached = {
    pkcs1,
    pkcs8,
    publicKey,
    body: pkcs1.replace(/-----(BEGIN|END)[A-Z ]*-----/g, '').replace(/\s+/g, ''),
  }
  return cached
}
