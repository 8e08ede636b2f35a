import { NotificationTestError, isNotificationTestError, type ErrorKind } from '@notiprobe/core'
import { describeIssues, parseWith } from '@notiprobe/core/adapter'
import { z } from 'zod'
import { parseCompactJws } from './compact-jws.js'
import type { AppleEnvironment } from './environment.js'
import {
  appAppleIdSchema,
  bundleIdSchema,
  environmentSchema,
  requireAppAppleIdInProduction,
  rootCertificatesSchema,
} from './fields.js'
import {
  notificationApp,
  notificationPayloadSchema,
  type AppleNotificationPayload,
} from './notification-payload.js'
import type * as SignatureChecks from './signature-checks.js'
import { checkTrustedRoots, type CheckedRoots, type RootCertificateInput } from './trusted-roots.js'
import { VerificationFailure } from './verification-failure.js'

/** What a signed payload must prove: who signed it (the roots) and which app and environment it is for. */
export interface VerifySignedPayloadOptions {
  readonly bundleId: string
  readonly environment: AppleEnvironment
  /** Required for Production: Production notifications are checked against it. */
  readonly appAppleId?: number | undefined
  /** Trusted roots, replacing Apple Root CA - G3 (pass `APPLE_ROOT_CA_G3_PEM` too to keep it). */
  readonly rootCertificates?: readonly RootCertificateInput[] | undefined
}

/** Verifies signed payloads against settings checked once and roots parsed once. */
export interface SignedPayloadVerifier {
  verify(signedPayload: string): Promise<AppleNotificationPayload>
}

const OPERATION = 'apple.verifySignedPayload'

const optionsSchema = z
  .strictObject({
    bundleId: bundleIdSchema,
    environment: environmentSchema,
    appAppleId: appAppleIdSchema.optional(),
    rootCertificates: rootCertificatesSchema.optional(),
  })
  .superRefine(requireAppAppleIdInProduction)

// The certificate parser and jose's verification code load on the first verification, not with
// the package: most processes that import it only send requests.
let signatureChecks: Promise<typeof SignatureChecks> | undefined
function loadSignatureChecks(): Promise<typeof SignatureChecks> {
  signatureChecks ??= import('./signature-checks.js')
  return signatureChecks
}

/**
 * Starts loading the verification code, without waiting for it, where a verification is likely
 * soon: a tester's check() loads it while its status call is on the wire, so that the check that
 * finds the delivery does not load it then. A failure to load shows on that verification.
 */
export function prepareSignatureChecks(): void {
  loadSignatureChecks().catch(() => undefined)
}

interface VerifierContext {
  readonly operation: string
  readonly kind: Extract<ErrorKind, 'config' | 'invalid_input'>
  readonly subject: string
}

/**
 * Checks the options and the trusted roots once, for a verifier used many times (a receiver, a
 * tester). Bad options, or a root that is not a CA certificate, give a `config` error naming the
 * field, at once. The roots are parsed in full, and the certificate code loaded, on the first
 * verification.
 */
export function createSignedPayloadVerifier(
  options: VerifySignedPayloadOptions,
  context: VerifierContext = {
    operation: 'apple.createSignedPayloadVerifier',
    kind: 'config',
    subject: 'Apple signed payload verifier options',
  },
): SignedPayloadVerifier {
  const settings = parseWith(optionsSchema, options, { vendor: 'apple', ...context })
  const roots = checkTrustedRoots(settings.rootCertificates, {
    operation: context.operation,
    kind: context.kind,
    field: 'rootCertificates',
  })
  return { verify: (signedPayload) => verify(signedPayload, settings, roots) }
}

/**
 * Verifies an App Store signed payload (a notification's `signedPayload`) the way Apple's own
 * verifier does, and returns the decoded notification:
 * 1. the header's `alg` is ES256, nothing else;
 * 2. `x5c` holds exactly three certificates;
 * 3. its root is one of the trusted roots (Apple Root CA - G3 by default), byte for byte, each
 *    certificate is signed by the next and the intermediate is a CA;
 * 4. leaf and intermediate carry Apple's marker extensions;
 * 5. every certificate was valid at the payload's `signedDate` (60 s of skew);
 * 6. the signature verifies with the leaf's key, and the payload is for `bundleId`, `environment`
 *    and, in Production, `appAppleId`.
 * Any failure is a `verification` error saying which check failed; nothing turns a check off.
 */
export async function verifySignedPayload(
  signedPayload: string,
  options: VerifySignedPayloadOptions,
): Promise<AppleNotificationPayload> {
  return createSignedPayloadVerifier(options, {
    operation: OPERATION,
    kind: 'invalid_input',
    subject: 'verifySignedPayload options',
  }).verify(signedPayload)
}

interface Expected {
  readonly bundleId: string
  readonly environment: AppleEnvironment
  readonly appAppleId?: number | undefined
}

async function verify(
  input: unknown,
  expected: Expected,
  roots: CheckedRoots,
): Promise<AppleNotificationPayload> {
  try {
    const jws = parseCompactJws(input)
    const { alg } = jws.header
    if (alg !== 'ES256') {
      throw new VerificationFailure(
        `the JWS header alg is ${JSON.stringify(alg)?.slice(0, 40) ?? 'missing'}; only ES256 is accepted`,
      )
    }
    const { signedDate } = jws.payload
    if (typeof signedDate !== 'number' || !Number.isFinite(signedDate)) {
      throw new VerificationFailure(
        'the payload has no numeric signedDate to check the certificates at',
      )
    }
    const checks = await loadSignatureChecks()
    await checks.verifyChainAndSignature(jws.compact, jws.header.x5c, roots, signedDate)
    const parsed = notificationPayloadSchema.safeParse(jws.payload)
    if (!parsed.success) {
      throw new VerificationFailure(
        `the payload is not an App Store Server Notification (${describeIssues(parsed.error.issues)})`,
      )
    }
    checkApp(parsed.data, expected)
    return parsed.data
  } catch (error) {
    // A configured root that only the full parse refuses: the configuration's error, not the payload's.
    if (isNotificationTestError(error)) throw error
    throw new NotificationTestError({
      vendor: 'apple',
      operation: OPERATION,
      kind: 'verification',
      message: `Signed payload rejected: ${
        error instanceof VerificationFailure ? error.check : 'it could not be verified'
      }.`,
      cause: error instanceof VerificationFailure ? undefined : error,
    })
  }
}

function checkApp(payload: AppleNotificationPayload, expected: Expected): void {
  const app = notificationApp(payload)
  if (app === undefined) {
    throw new VerificationFailure(
      'the payload names no app (no data, summary or externalPurchaseToken)',
    )
  }
  if (app.bundleId !== expected.bundleId) {
    throw new VerificationFailure(
      `the payload is for bundle id ${quote(app.bundleId)}, not ${quote(expected.bundleId)}`,
    )
  }
  if (app.environment !== expected.environment) {
    throw new VerificationFailure(
      `the payload is for environment ${quote(app.environment)}, not ${quote(expected.environment)}`,
    )
  }
  if (expected.environment === 'Production' && app.appAppleId === undefined) {
    throw new VerificationFailure(
      `the payload has no appAppleId; a Production notification must name app ${expected.appAppleId}`,
    )
  }
  // Checked in Sandbox too whenever both sides name an app: a different app is never this one.
  if (
    app.appAppleId !== undefined &&
    expected.appAppleId !== undefined &&
    app.appAppleId !== expected.appAppleId
  ) {
    throw new VerificationFailure(
      `the payload is for app ${app.appAppleId}, not ${expected.appAppleId}`,
    )
  }
}

function quote(value: string | undefined): string {
  return value === undefined ? 'none' : JSON.stringify(value.slice(0, 200))
}
