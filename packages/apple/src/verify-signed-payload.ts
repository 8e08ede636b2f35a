import { NotificationTestError, isNotificationTestError, type ErrorKind } from '@notiprobe/core'
import {
  clockSchema,
  connectionOptionsShape,
  parseWith,
  systemClock,
  type Clock,
  type ConnectionOptions,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import type { AppleEnvironment } from './environment.js'
import { requireAppAppleIdInProduction, verifiedAppShape } from './fields.js'
import { withVerifiedNestedValues, type ExpectedApp } from './nested-jws.js'
import {
  notificationApp,
  notificationPayloadSchema,
  type AppleNotificationPayload,
} from './notification-payload.js'
import type { OnlineChecksOptions } from './online-checks-options.js'
import { createOnlineChecks, onlineChecksSchema } from './online-checks.js'
import { checkTrustedRoots, type RootCertificateInput } from './trusted-roots.js'
import { quoteUntrusted } from './untrusted-text.js'
import { VerificationFailure } from './verification-failure.js'
import { loadSignatureChecks, verifyJws, type JwsVerification } from './verify-jws.js'

/**
 * What a signed payload must prove: who signed it (the roots) and which app and environment it is
 * for. `proxy` and `ca` are for the OCSP responders of `onlineChecks`, as for every Apple call.
 */
export interface VerifySignedPayloadOptions extends ConnectionOptions {
  readonly bundleId: string
  readonly environment: AppleEnvironment
  /** Required for Production: Production notifications are checked against it. */
  readonly appAppleId?: number | undefined
  /** Trusted roots, replacing Apple Root CA - G3 (pass `APPLE_ROOT_CA_G3_PEM` too to keep it). */
  readonly rootCertificates?: readonly RootCertificateInput[] | undefined
  /**
   * Off by default, as in Apple's verifier. On: certificates must be valid now (not at the
   * payload's signing date) and leaf and intermediate must be reported good by their OCSP
   * responders. A responder that cannot be reached is a retryable `verification` error, never a pass.
   */
  readonly onlineChecks?: boolean | OnlineChecksOptions | undefined
  /** Time for online checks and for app transactions without a receipt date; the system clock by default. */
  readonly clock?: Clock | undefined
}

/** Verifies signed payloads against settings checked once and roots parsed once. */
export interface SignedPayloadVerifier {
  verify(signedPayload: string): Promise<AppleNotificationPayload>
}

const OPERATION = 'apple.verifySignedPayload'

const optionsSchema = z.lazy(() =>
  z
    .strictObject({
      ...verifiedAppShape,
      onlineChecks: z.optional(onlineChecksSchema),
      ...connectionOptionsShape,
      clock: z.optional(clockSchema),
    })
    .check(z.superRefine(requireAppAppleIdInProduction)),
)

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
  const clock = settings.clock ?? systemClock
  const online =
    settings.onlineChecks === undefined || settings.onlineChecks === false
      ? undefined
      : createOnlineChecks(settings.onlineChecks === true ? {} : settings.onlineChecks, clock, {
          proxy: settings.proxy,
          ca: settings.ca,
        })
  const verification: JwsVerification = { roots, online }
  const expected: ExpectedApp = settings
  return {
    verify: (signedPayload) => verify(signedPayload, expected, verification, () => clock.now()),
  }
}

/**
 * Verifies an App Store signed payload (a notification's `signedPayload`) the way Apple's own
 * verifier does, and returns the decoded notification. Cheap, decisive checks come first, and
 * nothing the sender chose is described before the chain and signature are known good:
 * 1. size and shape; the header's `alg` is ES256, nothing else;
 * 2. `x5c` holds exactly three certificates;
 * 3. the intermediate is issued and signed by one of the trusted roots (Apple Root CA - G3 by
 *    default) and is a CA, and the leaf by the intermediate (`x5c[2]` is not used: trust comes
 *    from the roots you hold, never from the payload);
 * 4. leaf and intermediate carry Apple's marker extensions;
 * 5. every certificate was valid at the payload's `signedDate` (60 s of skew), or now and
 *    reported good by OCSP with `onlineChecks`;
 * 6. the signature verifies with the leaf's key; the payload is a V2 notification for
 *    `bundleId`, `environment` and, in Production, `appAppleId`, read from `data`, `summary`,
 *    `externalPurchaseToken` or `appData`;
 * 7. the JWS nested in it (`signedTransactionInfo`, `signedRenewalInfo`,
 *    `signedAppTransactionInfo`) pass the same checks, and are returned decoded beside the raw strings.
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

async function verify(
  input: unknown,
  expected: ExpectedApp,
  verification: JwsVerification,
  now: () => number,
): Promise<AppleNotificationPayload> {
  try {
    const notification = await verifyJws(
      input,
      notificationPayloadSchema,
      'an App Store Server Notification',
      (payload) => payload.signedDate,
      verification,
    )
    checkApp(notification, expected)
    return await withVerifiedNestedValues(notification, expected, verification, now)
  } catch (error) {
    // A configured root that only the full parse refuses: the configuration's error, not the
    // payload's. An OCSP responder out of reach is already a retryable verification error.
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

/** The app checks Apple's verifier applies, plus: a different app is never this one, in Sandbox too. */
function checkApp(payload: AppleNotificationPayload, expected: ExpectedApp): void {
  const app = notificationApp(payload)
  if (app === undefined) {
    throw new VerificationFailure(
      'the payload names no app (no data, summary, externalPurchaseToken or appData)',
    )
  }
  if (app.bundleId !== expected.bundleId) {
    throw new VerificationFailure(
      `the payload is for bundle id ${quoteUntrusted(app.bundleId)}, not ${quoteUntrusted(expected.bundleId)}`,
    )
  }
  if (app.environment !== expected.environment) {
    const where = app.source === 'externalPurchaseToken' ? ' (from its externalPurchaseId)' : ''
    throw new VerificationFailure(
      `the payload is for environment ${quoteUntrusted(app.environment)}${where}, not ${quoteUntrusted(expected.environment)}`,
    )
  }
  if (expected.environment === 'Production' && app.appAppleId === undefined) {
    throw new VerificationFailure(
      `the payload has no appAppleId; a Production notification must name app ${expected.appAppleId}`,
    )
  }
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
