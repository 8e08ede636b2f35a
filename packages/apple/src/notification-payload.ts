import { z } from 'zod'

/** `data` of an App Store Server Notification V2: the app and environment it is about. */
export interface AppleNotificationData {
  readonly appAppleId?: number | undefined
  readonly bundleId?: string | undefined
  readonly bundleVersion?: string | undefined
  /** `Sandbox`, `Production`, and for local tests `Xcode` or `LocalTesting`. */
  readonly environment?: string | undefined
  /** Nested JWS, returned as Apple sent them. */
  readonly signedTransactionInfo?: string | undefined
  readonly signedRenewalInfo?: string | undefined
  readonly status?: number | undefined
  readonly [field: string]: unknown
}

/** `summary` of a RENEWAL_EXTENSION SUMMARY notification. */
export interface AppleNotificationSummary {
  readonly appAppleId?: number | undefined
  readonly bundleId?: string | undefined
  readonly environment?: string | undefined
  readonly [field: string]: unknown
}

/** `externalPurchaseToken` of an EXTERNAL_PURCHASE_TOKEN notification. */
export interface AppleExternalPurchaseToken {
  readonly externalPurchaseId?: string | undefined
  readonly appAppleId?: number | undefined
  readonly bundleId?: string | undefined
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
  readonly version?: string | undefined
  /** Epoch milliseconds. */
  readonly signedDate: number
  readonly [field: string]: unknown
}

const appleId = z.number().int().nonnegative()

// Loose objects: Apple adds fields over time, and the caller should see them.
export const notificationPayloadSchema: z.ZodType<AppleNotificationPayload> = z.looseObject({
  notificationType: z.string().min(1),
  subtype: z.string().optional(),
  notificationUUID: z.string().min(1),
  data: z
    .looseObject({
      appAppleId: appleId.optional(),
      bundleId: z.string().optional(),
      bundleVersion: z.string().optional(),
      environment: z.string().optional(),
      signedTransactionInfo: z.string().optional(),
      signedRenewalInfo: z.string().optional(),
      status: z.number().optional(),
    })
    .optional(),
  summary: z
    .looseObject({
      appAppleId: appleId.optional(),
      bundleId: z.string().optional(),
      environment: z.string().optional(),
    })
    .optional(),
  externalPurchaseToken: z
    .looseObject({
      externalPurchaseId: z.string().optional(),
      appAppleId: appleId.optional(),
      bundleId: z.string().optional(),
    })
    .optional(),
  version: z.string().optional(),
  signedDate: z.number().int().nonnegative(),
})

/** The app a notification is about, wherever its type puts it. */
export interface NotificationApp {
  readonly bundleId: string | undefined
  readonly environment: string | undefined
  readonly appAppleId: number | undefined
}

export function notificationApp(payload: AppleNotificationPayload): NotificationApp | undefined {
  const source = payload.data ?? payload.summary
  if (source !== undefined) {
    return {
      bundleId: source.bundleId,
      environment: source.environment,
      appAppleId: source.appAppleId,
    }
  }
  const token = payload.externalPurchaseToken
  if (token !== undefined) {
    // External purchase tokens carry no environment field; Apple marks sandbox ones by their id.
    const environment =
      token.externalPurchaseId?.startsWith('SANDBOX') === true ? 'Sandbox' : 'Production'
    return { bundleId: token.bundleId, environment, appAppleId: token.appAppleId }
  }
  return undefined
}
