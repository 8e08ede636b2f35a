import { KeyObject, createPrivateKey } from 'node:crypto'
import { registerSecret } from '@notiprobe/core/adapter'

/** GitHub's App keys are 2048-bit RSA; less is refused by RS256 signers anyway. */
const MIN_MODULUS_BITS = 2048

export type PrivateKeyLoad = { readonly key: KeyObject } | { readonly problem: string }

/**
 * Parses a GitHub App private key once: the PEM GitHub downloads (PKCS#1, `BEGIN RSA PRIVATE
 * KEY`), PKCS#8 (`BEGIN PRIVATE KEY`), either with literal `\n` escapes as environment variables
 * often hold it, or a `KeyObject`. node:crypto reads both PEM forms, and jose signs with the
 * resulting KeyObject, so no PKCS#1 → PKCS#8 conversion is needed. The text is registered as a
 * secret before anything else, and no problem ever quotes it.
 */
export function loadAppPrivateKey(input: string | KeyObject): PrivateKeyLoad {
  if (input instanceof KeyObject) return checkRsa(input)
  const pem = input.trim().replace(/(?:\\r)?\\n/g, '\n')
  protect(pem)
  if (!/^-----BEGIN (?:RSA )?PRIVATE KEY-----/.test(pem)) {
    return {
      problem: pem.includes('-----BEGIN')
        ? 'expected an unencrypted RSA private key (a BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY block)'
        : "expected the GitHub App's private key as PEM text (the .pem file GitHub downloads)",
    }
  }
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem' })
  } catch {
    return { problem: 'is not a readable RSA private key (the PEM text is damaged or encrypted)' }
  }
  return checkRsa(key)
}

function checkRsa(key: KeyObject): PrivateKeyLoad {
  if (key.type !== 'private')
    return { problem: 'expected a private key, got a public or secret key' }
  if (key.asymmetricKeyType !== 'rsa') {
    return {
      problem: `expected an RSA key (GitHub Apps sign RS256), got a key of type ${String(key.asymmetricKeyType)}`,
    }
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < MIN_MODULUS_BITS) {
    return { problem: `expected an RSA key of at least ${MIN_MODULUS_BITS} bits, got ${bits}` }
  }
  return { key }
}

/** Registers the PEM text and its base64 lines, so redaction finds the key in any form. */
function protect(pem: string): void {
  registerSecret(pem)
  registerSecret(pem.replace(/-----(?:BEGIN|END)[A-Z ]*-----/g, '').replace(/\s+/g, ''))
  for (const line of pem.split('\n')) if (!line.startsWith('-----')) registerSecret(line)
}
