import type { KeyObject } from 'node:crypto'
import { BoundedCache } from './bounded-cache.js'
import { parseCertificate, type ParsedCertificate } from './certificate.js'
import { decodeStandardBase64 } from './compact-jws.js'
import { VerificationFailure } from './verification-failure.js'

/** Apple's marker extension on the certificate that signs App Store payloads. */
export const APPLE_LEAF_OID = '1.2.840.113635.100.6.11.1'
/** Apple's marker extension on the Worldwide Developer Relations intermediate. */
export const APPLE_INTERMEDIATE_OID = '1.2.840.113635.100.6.2.1'
/** Clock skew tolerated when checking validity (at `signedDate`, or at now with online checks). */
export const VALIDITY_SKEW_MS = 60_000

const LEAF = 'x5c[0] (leaf)'
const INTERMEDIATE = 'x5c[1] (intermediate)'

// Apple signs with a handful of certificates: parsing them and checking their signatures once saves
// most of the work of each verification. Both are pure functions of the certificates' bytes.
const parsedByBase64 = new BoundedCache<ParsedCertificate | undefined>(64)
const signedByPair = new BoundedCache<boolean>(64)

/** A chain that verified: the leaf's key signs the payload; all three are kept for online checks. */
export interface VerifiedChain {
  readonly leafKey: KeyObject
  readonly leaf: ParsedCertificate
  readonly intermediate: ParsedCertificate
  /** The configured root that issued the intermediate (never the payload's `x5c[2]`). */
  readonly root: ParsedCertificate
}

/**
 * Steps 2 to 5 of Apple's verification: exactly three certificates; the intermediate issued and
 * signed by one of `trustedRoots` and a CA; the leaf issued and signed by the intermediate; Apple's
 * marker extensions on leaf and intermediate; leaf, intermediate and that root valid at `at`.
 *
 * Trust comes only from `trustedRoots`: `x5c[2]` must be there (Apple's chains have three) but is
 * not used, as Apple's verifier does not use it, so a root re-issued with the same key and name
 * still verifies, and a root the payload carries is never trusted for being carried. Nothing the
 * sender chose is described before the chain is known to come from a trusted root.
 */
export function verifyCertificateChain(
  x5c: unknown,
  trustedRoots: readonly ParsedCertificate[],
  at: number,
): VerifiedChain {
  if (!Array.isArray(x5c))
    throw new VerificationFailure('the JWS header has no x5c certificate chain')
  if (x5c.length !== 3) {
    throw new VerificationFailure(
      `x5c must hold exactly 3 certificates (leaf, intermediate, root); it holds ${x5c.length}`,
    )
  }
  const leaf = certificateAt(x5c, 0, LEAF)
  const intermediate = certificateAt(x5c, 1, INTERMEDIATE)

  const root = trustedRoots.find((candidate) => signedBy(intermediate, candidate))
  if (root === undefined) {
    throw new VerificationFailure(`${INTERMEDIATE} is not issued and signed by a trusted root`)
  }
  if (!intermediate.x509.ca)
    throw new VerificationFailure(`${INTERMEDIATE} is not a CA certificate`)
  if (!signedBy(leaf, intermediate)) {
    throw new VerificationFailure(`${LEAF} is not issued and signed by ${INTERMEDIATE}`)
  }
  if (!leaf.extensionIds.has(APPLE_LEAF_OID)) {
    throw new VerificationFailure(`${LEAF} lacks Apple's extension ${APPLE_LEAF_OID}`)
  }
  if (!intermediate.extensionIds.has(APPLE_INTERMEDIATE_OID)) {
    throw new VerificationFailure(
      `${INTERMEDIATE} lacks Apple's extension ${APPLE_INTERMEDIATE_OID}`,
    )
  }
  const named: readonly (readonly [ParsedCertificate, string])[] = [
    [leaf, LEAF],
    [intermediate, INTERMEDIATE],
    [root, 'the trusted root'],
  ]
  for (const [certificate, name] of named) {
    if (
      at < certificate.notBefore - VALIDITY_SKEW_MS ||
      at > certificate.notAfter + VALIDITY_SKEW_MS
    ) {
      throw new VerificationFailure(
        `${name} was not valid at ${iso(at)} (valid from ${iso(certificate.notBefore)} to ${iso(certificate.notAfter)})`,
      )
    }
  }
  return { leafKey: leaf.x509.publicKey, leaf, intermediate, root }
}

function certificateAt(x5c: readonly unknown[], index: number, name: string): ParsedCertificate {
  const entry = x5c[index]
  if (typeof entry !== 'string') throw new VerificationFailure(`${name} is not a string`)
  const der = decodeStandardBase64(entry, name)
  const certificate = parsedByBase64.getOrCompute(entry, () => {
    try {
      return parseCertificate(der)
    } catch {
      return undefined
    }
  })
  if (certificate === undefined) {
    throw new VerificationFailure(`${name} is not a valid X.509 certificate`)
  }
  return certificate
}

/** `subject` names `issuer` as its issuer and carries a signature `issuer`'s key verifies. */
function signedBy(subject: ParsedCertificate, issuer: ParsedCertificate): boolean {
  const key = `${subject.x509.fingerprint256}>${issuer.x509.fingerprint256}`
  return signedByPair.getOrCompute(key, () => {
    try {
      return subject.x509.checkIssued(issuer.x509) && subject.x509.verify(issuer.x509.publicKey)
    } catch {
      return false
    }
  })
}

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms)
}
