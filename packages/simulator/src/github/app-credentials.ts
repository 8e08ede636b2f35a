import { generateKeyPair, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import { randomHex } from '../common/clock.js'

/** The GitHub App a client authenticates as. */
export interface GitHubAppCredentials {
  appId: number
  clientId: string
  installationId: number
  /** PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`), the form GitHub's key download has. */
  privateKeyPem: string
  /** The same key as PKCS#8 (`-----BEGIN PRIVATE KEY-----`), the form WebCrypto and jose import. */
  privateKeyPkcs8Pem: string
}

const generateRsa = promisify(generateKeyPair)

/**
 * One 2048-bit RSA key per process, made on first use: generating one takes up to a second on a
 * busy machine, and a test suite starts many simulators. Each simulator still has its own App id.
 */
let processKey: ReturnType<typeof generateRsa> | undefined

/** The App's key and its client id. */
export async function createAppCredentials(options: {
  appId: number
  clientId: string | undefined
  installationId: number
  random: () => number
}): Promise<{ credentials: GitHubAppCredentials; publicKey: KeyObject }> {
  processKey ??= generateRsa('rsa', { modulusLength: 2048 })
  const { privateKey, publicKey } = await processKey
  return {
    publicKey,
    credentials: {
      appId: options.appId,
      clientId: options.clientId ?? `Iv23li${randomHex(options.random, 14)}`,
      installationId: options.installationId,
      privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      privateKeyPkcs8Pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  }
}
