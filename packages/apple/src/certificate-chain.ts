import type { KeyObject } from 'node:crypto'
import { BoundedCache } from './bounded-cache.js'
import { describeCertificate, parseCertificate, type ParsedCertificate } from './certificate.js'
import { decodeStandardBase64 } from './compact-jws.js'
import { VerificationFailure } from './verification-failure.js'

/** Apple's marker extension on the certificate that signs App Store payloads. */
export const APPLE_LEAF_OID = '1.2.840.113635.100.6.11.1'
/** Apple's marker extension on the Worldwide Developer Relations intermediate. */
export const APPLE_INTERMEDIATE_OID = '1.2.840.113635.100.6.2.1'
/** Clock skew tolerated when checking validity at the payload's `signedDate`. */
export const VALIDITY_SKEW_MS = 60_000

const NAMES = ['x5c[0] (leaf)', 'x5c[1] (intermediate)', 'x5c[2] (root)'] as const

// Apple signs with a handful of certificates: parsing them and checking their signatures once saves
// most of the work of each verification. Both are pure functions of the certificates' bytes.
const parsedByBase64 = new BoundedCache<ParsedCertificate | undefined>(64)
const signedByPair = new BoundedCache<boolean>(64)

/**
 * Steps 2 to 5 of Apple's verification: exactly three certificates; the root one of `trustedRoots`,
 * byte for byte (never trusted because the payload carries it); each certificate issued and signed
 * by the next, the intermediate a CA; Apple's marker extensions on leaf and intermediate; every
 * certificate valid at `at`. Returns the leaf's public key, the only key the signature may verify with.
 */
export function verifyCertificateChain(
  x5c: unknown,
  trustedRoots: readonly ParsedCertificate[],
  at: number,
): KeyObject {
  if (!Array.isArray(x5c))
    throw new VerificationFailure('the JWS header has no x5c certificate chain')
  if (x5c.length !== 3) {
    throw new VerificationFailure(
      `x5c must hold exactly 3 certificates (leaf, intermediate, root); it holds ${x5c.length}`,
    )
  }
  const [leaf, intermediate, root] = x5c.map((entry: unknown, index) => {
    const name = NAMES[index]
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
  }) as [ParsedCertificate, ParsedCertificate, ParsedCertificate]

  const trusted = trustedRoots.find((candidate) => candidate.der.equals(root.der))
  if (trusted === undefined) {
    throw new VerificationFailure(
      `the chain's root ${describeCertificate(root)} (SHA-256 ${root.x509.fingerprint256}) is not a trusted root`,
    )
  }
  if (!intermediate.x509.ca) throw new VerificationFailure(`${NAMES[1]} is not a CA certificate`)
  checkSignedBy(leaf, intermediate, NAMES[0], NAMES[1])
  checkSignedBy(intermediate, trusted, NAMES[1], NAMES[2])

  if (!leaf.extensionIds.has(APPLE_LEAF_OID)) {
    throw new VerificationFailure(`${NAMES[0]} lacks Apple's extension ${APPLE_LEAF_OID}`)
  }
  if (!intermediate.extensionIds.has(APPLE_INTERMEDIATE_OID)) {
    throw new VerificationFailure(`${NAMES[1]} lacks Apple's extension ${APPLE_INTERMEDIATE_OID}`)
  }

  ;[leaf, intermediate, trusted].forEach((certificate, index) => {
    if (
      at < certificate.notBefore - VALIDITY_SKEW_MS ||
      at > certificate.notAfter + VALIDITY_SKEW_MS
    ) {
      throw new VerificationFailure(
        `${NAMES[index]} was not valid at the payload's signedDate ${iso(at)} (valid from ${iso(certificate.notBefore)} to ${iso(certificate.notAfter)})`,
      )
    }
  })
  return leaf.x509.publicKey
}

function checkSignedBy(
  subject: ParsedCertificate,
  issuer: ParsedCertificate,
  subjectName: string,
  issuerName: string,
): void {
  const key = `${subject.x509.fingerprint256}>${issuer.x509.fingerprint256}`
  const signed = signedByPair.getOrCompute(key, () => {
    try {
      return subject.x509.checkIssued(issuer.x509) && subject.x509.verify(issuer.x509.publicKey)
    } catch {
      return false
    }
  })
  if (!signed) throw new VerificationFailure(`${subjectName} is not signed by ${issuerName}`)
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms)
}
