import { z } from '@notiprobe/core/zod'
import {
  appleNumberSchema,
  appleTextSchema,
  epochMsSchema,
  type AppleAppTransaction,
  type AppleRenewalInfo,
  type AppleTransactionInfo,
} from './signed-values.js'

/** `data` of an App Store Server Notification V2: the app and environment it is about. */
export interface AppleNotificationData {
  readonly appAppleId?: number | undefined
  readonly bundleId?: string | undefined
  readonly bundleVersion?: string | undefined
  /** `Sandbox`, `Production`, and for local tests `Xcode` or `LocalTesting`. */
  readonly environment?: string | undefined
  /** Nested JWS, as Apple sent them. */
  readonly signedTransactionInfo?: string | undefined
  readonly signedRenewalInfo?: string | undefined
  /** `signedTransactionInfo` verified with the same roots and decoded (added by notiprobe). */
  readonly transactionInfo?: AppleTransactionInfo | undefined
  /** `signedRenewalInfo` verified with the same roots and decoded (added by notiprobe). */
  readonly renewalInfo?: AppleRenewalInfo | undefined
  readonly status?: number | undefined
  readonly [field: string]: unknown
}

/** `summary` of a RENEWAL_EXTENSION SUMMARY notification. */
export interface AppleNotificationSummary {
  readonly requestIdentifier?: string | undefined
  readonly appAppleId?: number | undefined
  readonly bundleId?: string | undefined
  readonly environment?: string | undefined
  readonly productId?: string | undefined
  readonly storefrontCountryCodes?: readonly string[] | undefined
  readonly failedCount?: number | undefined
  readonly succeededCount?: number | undefined
  readonly [field: string]: unknown
}

/** `externalPurchaseToken` of an EXTERNAL_PURCHASE_TOKEN notification (no environment field). */
export interface AppleExternalPurchaseToken {
  /** Starts with `SANDBOX` for Sandbox tokens. */
  readonly externalPurchaseId?: string | undefined
  /** Epoch milliseconds. */
  readonly tokenCreationDate?: number | undefined
  readonly appAppleId?: number | undefined
  readonly bundleId?: string | undefined
  readonly [field: string]: unknown
}

/** `appData` of a RESCIND_CONSENT notification. */
export interface AppleAppData {
  readonly appAppleId?: number | undefined
  readonly bundleId?: string | undefined
  readonly environment?: string | undefined
  /** Nested JWS, as Apple sent it. */
  readonly signedAppTransactionInfo?: string | undefined
  /** `signedAppTransactionInfo` verified with the same roots and decoded (added by notiprobe). */
  readonly appTransactionInfo?: AppleAppTransaction | undefined
  readonly [field: string]: unknown
}

/** A decoded, verified App Store Server Notification V2 (`TEST` and every other type). */
export interface AppleNotificationPayload {
  readonly notificationType: string
  readonly subtype?: string | undefined
  readonly notificationUUID: string
  readonly data?: AppleNotificationData | undefined
  readonly summary?: AppleNotificationSummary | undefined
  readonly externalPurchaseToken?: AppleExternalPurchaseToken | undefined
  readonly appData?: AppleAppData | undefined
  readonly version?: string | undefined
  /** Epoch milliseconds. */
  readonly signedDate: number
  readonly [field: string]: unknown
}

const text = z.optional(appleTextSchema)
const jws = z.optional(z.string())

// Loose objects: Apple adds fields over time, and the caller should see them. Every number is
// range-checked here, where it enters.
export const notificationPayloadSchema: z.ZodType<AppleNotificationPayload> = z.lazy(() =>
  z.looseObject({
    notificationType: appleTextSchema.check(z.minLength(1)),
    subtype: text,
    notificationUUID: appleTextSchema.check(z.minLength(1)),
    data: z.optional(
      z.looseObject({
        appAppleId: z.optional(appleNumberSchema),
        bundleId: text,
        bundleVersion: text,
        environment: text,
        signedTransactionInfo: jws,
        signedRenewalInfo: jws,
        status: z.optional(appleNumberSchema),
      }),
    ),
    summary: z.optional(
      z.looseObject({
        requestIdentifier: text,
        appAppleId: z.optional(appleNumberSchema),
        bundleId: text,
        environment: text,
        productId: text,
        storefrontCountryCodes: z.optional(z.array(appleTextSchema).check(z.maxLength(1000))),
        failedCount: z.optional(appleNumberSchema),
        succeededCount: z.optional(appleNumberSchema),
      }),
    ),
    externalPurchaseToken: z.optional(
      z.looseObject({
        externalPurchaseId: text,
        tokenCreationDate: z.optional(epochMsSchema),
        appAppleId: z.optional(appleNumberSchema),
        bundleId: text,
      }),
    ),
    appData: z.optional(
      z.looseObject({
        appAppleId: z.optional(appleNumberSchema),
        bundleId: text,
        environment: text,
        signedAppTransactionInfo: jws,
      }),
    ),
    version: text,
    signedDate: epochMsSchema,
  }),
)

/** The app a notification is about, wherever its type puts it. */
export interface NotificationApp {
  /** Which object named it. */
  readonly source: 'data' | 'summary' | 'externalPurchaseToken' | 'appData'
  readonly bundleId: string | undefined
  readonly environment: string | undefined
  readonly appAppleId: number | undefined
}

/**
 * The app and environment a notification is for, read from `data`, `summary`,
 * `externalPurchaseToken` or `appData`, in the order Apple's own verifier reads them. An external
 * purchase token has no environment field: Apple marks Sandbox tokens by an id starting `SANDBOX`.
 */
export function notificationApp(payload: AppleNotificationPayload): NotificationApp | undefined {
  const { data, summary, externalPurchaseToken: token, appData } = payload
  if (data !== undefined) return { source: 'data', ...appOf(data) }
  if (summary !== undefined) return { source: 'summary', ...appOf(summary) }
  if (token !== undefined) {
    const environment =
      token.externalPurchaseId?.startsWith('SANDBOX') === true ? 'Sandbox' : 'Production'
    return {
      source: 'externalPurchaseToken',
      bundleId: token.bundleId,
      environment,
      appAppleId: token.appAppleId,
    }
  }
  if (appData !== undefined) return { source: 'appData', ...appOf(appData) }
  return undefined
}

function appOf(source: {
  readonly bundleId?: string | undefined
  readonly environment?: string | undefined
  readonly appAppleId?: number | undefined
}): Omit<NotificationApp, 'source'> {
  return {
    bundleId: source.bundleId,
    environment: source.environment,
    appAppleId: source.appAppleId,
  }
}
