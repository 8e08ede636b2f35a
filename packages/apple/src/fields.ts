import { expected, patternText } from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import { APPLE_ENVIRONMENTS } from './environment.js'

/** The kit's message rule: what is expected, never the value given (it may be a secret). */
export { expected } from '@notiprobe/core/adapter'

export const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/

export const bundleIdSchema = z
  .string(expected("the app's bundle id, e.g. com.example.app"))
  .check(
    z.trim(),
    z.maxLength(155, { error: 'expected at most 155 characters' }),
    z.regex(BUNDLE_ID, { error: "expected the app's bundle id, e.g. com.example.app" }),
  )

export const environmentSchema = z.enum(APPLE_ENVIRONMENTS, expected('Sandbox or Production'))

export const appAppleIdSchema = z
  .number(expected("the app's Apple ID, a number such as 1234567890"))
  .check(
    z.int({ error: "expected the app's Apple ID, a whole number" }),
    z.positive({ error: "expected the app's Apple ID, a positive number" }),
    z.lte(Number.MAX_SAFE_INTEGER, { error: "expected the app's Apple ID, a number" }),
  )

export const rootCertificatesSchema = z
  .array(
    z.union([z.string(), z.instanceof(Uint8Array)], expected('PEM text or DER bytes')),
    expected('an array of PEM or DER root certificates'),
  )
  .check(
    z.minLength(1, { error: 'expected at least one root certificate' }),
    z.maxLength(20, { error: 'expected at most 20 root certificates' }),
  )

/**
 * The app a signed payload must be for, and the roots it must chain to: fields of the tester, the
 * receiver and the verifier alike.
 */
export const verifiedAppShape = {
  bundleId: bundleIdSchema,
  environment: environmentSchema,
  appAppleId: z.optional(appAppleIdSchema),
  rootCertificates: z.optional(rootCertificatesSchema),
}

/** Production notifications name the app by its Apple ID, so verifying them needs it. */
export function requireAppAppleIdInProduction(
  value: { environment: string; appAppleId?: number | undefined },
  ctx: z.core.$RefinementCtx,
): void {
  if (value.environment === 'Production' && value.appAppleId === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['appAppleId'],
      message:
        "is required when environment is Production (Production notifications are verified against the app's Apple ID)",
    })
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const issuerIdSchema = patternText(
  'the issuer id from App Store Connect, a UUID',
  UUID,
  'expected the issuer id from App Store Connect (Users and Access, Integrations), a UUID such as 57246542-96fe-1a63-e053-0824d011072a',
)

export const keyIdSchema = patternText(
  'the 10-character id of the In-App Purchase key',
  /^[A-Z0-9]{10}$/,
  'expected the 10-character id of the In-App Purchase key (upper-case letters and digits, e.g. 2X9R4HXF34)',
)
