// Loaded on the first verification only (`import()` in verify-signed-payload.ts). The X.509 and
// ASN.1 stack and jose's verification code take about 100 ms to load, which a process that only
// sends test requests, or one that has not yet received a notification, does not need to pay.
import { compactVerify } from 'jose/jws/compact/verify'
import { parseCertificate, type ParsedCertificate } from './certificate.js'
import { verifyCertificateChain, type VerifiedChain } from './certificate-chain.js'
import { trustedRootError, type CheckedRoots } from './trusted-roots.js'
import { VerificationFailure } from './verification-failure.js'

// Each set of roots is parsed in full once, on its first use (Apple's root once per process).
const parsedRoots = new WeakMap<CheckedRoots, readonly ParsedCertificate[]>()

function parsedTrustedRoots(roots: CheckedRoots): readonly ParsedCertificate[] {
  let parsed = parsedRoots.get(roots)
  if (parsed === undefined) {
    parsed = roots.ders.map((der, index) => {
      try {
        return parseCertificate(der)
      } catch {
        // Node read it when it was configured; the ASN.1 parser (extensions, validity) does not.
        const field = roots.fields[index] ?? roots.context.field
        throw trustedRootError(roots.context, field, 'is not a valid X.509 certificate')
      }
    })
    parsedRoots.set(roots, parsed)
  }
  return parsed
}

/**
 * Steps 2 to 6 of the verification, the ones that need the certificate parser and jose: the `x5c`
 * chain up to one of `roots` at `at`, then the JWS signature with the leaf's key. Throws a
 * `VerificationFailure` for a check that fails, or a `config` (or `invalid_input`) error for a
 * configured root that only the full parse refuses.
 */
export async function verifyChainAndSignature(
  compact: string,
  x5c: unknown,
  roots: CheckedRoots,
  at: number,
): Promise<VerifiedChain> {
  const chain = verifyCertificateChain(x5c, parsedTrustedRoots(roots), at)
  try {
    await compactVerify(compact, chain.leafKey, { algorithms: ['ES256'] })
  } catch {
    throw new VerificationFailure("the signature does not verify with the leaf certificate's key")
  }
  return chain
}
