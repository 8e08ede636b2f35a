import { createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto'
import { newKeyId } from './identifiers.js'

/** What a client needs to call the simulator, as App Store Connect would hand it out. */
export interface AppleSimulatorCredentials {
  issuerId: string
  keyId: string
  /** PKCS#8 PEM, the content of an `AuthKey_<keyId>.p8` file. */
  privateKeyPem: string
  bundleId: string
}

/** A public key the simulator accepts JWTs from. */
export interface AppleApiKeyRegistration {
  issuerId: string
  keyId: string
  /** SPKI PEM of a P-256 key. */
  publicKey: string
}

interface RegisteredKey {
  issuerId: string
  publicKey: KeyObject
}

/** The In-App Purchase keys the simulator knows, by key id (the JWT header's `kid`). */
export class ApiKeyRegistry {
  readonly #keys = new Map<string, RegisteredKey>()

  /** Adds or replaces a key. Throws when the PEM is not a P-256 public key. */
  register({ issuerId, keyId, publicKey }: AppleApiKeyRegistration): void {
    if (issuerId === '' || keyId === '')
      throw new Error('registerKey needs an issuerId and a keyId')
    const key = createPublicKey(publicKey)
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new Error('registerKey needs a P-256 (ES256) public key')
    }
    this.#keys.set(keyId, { issuerId, publicKey: key })
  }

  get(keyId: string): RegisteredKey | undefined {
    return this.#keys.get(keyId)
  }

  get size(): number {
    return this.#keys.size
  }
}

/** Generates a key pair like an App Store Connect In-App Purchase key, and registers it. */
export function generateCredentials(
  registry: ApiKeyRegistry,
  bundleId: string,
): AppleSimulatorCredentials {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
  const credentials: AppleSimulatorCredentials = {
    issuerId: randomUUID(),
    keyId: newKeyId(),
    privateKeyPem: privateKey,
    bundleId,
  }
  registry.register({ issuerId: credentials.issuerId, keyId: credentials.keyId, publicKey })
  return credentials
}
