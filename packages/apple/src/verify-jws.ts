import { describeIssues } from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import type { VerifiedChain } from './certificate-chain.js'
import { parseCompactJws } from './compact-jws.js'
import { epochMsSchema } from './signed-values.js'
import type * as SignatureChecks from './signature-checks.js'
import type { CheckedRoots } from './trusted-roots.js'
import { quoteUntrusted } from './untrusted-text.js'
import { VerificationFailure } from './verification-failure.js'

// The certificate parser and jose's verification code load on the first verification, not with
// the package: most processes that import it only send requests.
let signatureChecks: Promise<typeof SignatureChecks> | undefined
export function loadSignatureChecks(): Promise<typeof SignatureChecks> {
  signatureChecks ??= import('./signature-checks.js')
  return signatureChecks
}

/** Revocation and current validity, when the caller turned online checks on. */
export interface OnlineChecks {
  /** The time certificates must be valid at instead of the signing date. */
  now(): number
  /** Throws a VerificationFailure (or a retryable error) unless leaf and intermediate are good. */
  check(chain: VerifiedChain): Promise<void>
}

export interface JwsVerification {
  readonly roots: CheckedRoots
  readonly online?: OnlineChecks | undefined
}

/**
 * One App Store JWS, verified the way Apple's verifier does, cheapest decisive checks first: size
 * and shape; `alg` ES256; the `x5c` chain to a trusted root; the signature with the leaf's key;
 * online checks when on; only then the payload's shape (`schema`). `signingTime` reads the time the
 * certificates must have been valid at from the (not yet trusted) payload: a number, nothing more.
 */
export async function verifyJws<T>(
  input: unknown,
  schema: z.ZodType<T>,
  /** What the payload must be, for the message when it is not: "an App Store Server Notification". */
  what: string,
  signingTime: (payload: Readonly<Record<string, unknown>>) => unknown,
  verification: JwsVerification,
): Promise<T> {
  const jws = parseCompactJws(input)
  const { alg } = jws.header
  if (alg !== 'ES256') {
    throw new VerificationFailure(
      `the JWS header alg is ${alg === undefined ? 'missing' : quoteUntrusted(alg, 40)}; only ES256 is accepted`,
    )
  }
  const signedAt = z.safeParse(epochMsSchema, signingTime(jws.payload))
  if (!signedAt.success) {
    throw new VerificationFailure(
      'the payload has no signing date (epoch milliseconds) to check the certificates at',
    )
  }
  const { online } = verification
  const checks = await loadSignatureChecks()
  const chain = await checks.verifyChainAndSignature(
    jws.compact,
    jws.header.x5c,
    verification.roots,
    online === undefined ? signedAt.data : online.now(),
  )
  if (online !== undefined) await online.check(chain)
  const parsed = z.safeParse(schema, jws.payload)
  if (!parsed.success) {
    throw new VerificationFailure(`the payload is not ${what} (${firstIssues(parsed.error)})`)
  }
  return parsed.data
}

/** The first few problems: a payload with thousands of wrong fields gives a short message. */
function firstIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3)
  const more = error.issues.length - shown.length
  const text = describeIssues(shown)
  return more > 0 ? `${text}; and ${more} more` : text
}
