import { z } from '@notiprobe/core/zod'

// Ranges every number Apple sends is held to where it enters: a time outside what a Date can hold
// (±8.64e15 ms) or an id beyond 2^53 is an invalid answer, never a RangeError later on.

/** Epoch milliseconds that a `Date` can represent, from 1970 on. */
export const epochMsSchema = z.number().check(z.int(), z.gte(0), z.lte(8.64e15))
/** Apple's numeric ids (app Apple ID, storefront counts...): whole, non-negative, exact in a double. */
export const appleNumberSchema = z.number().check(z.int(), z.gte(0), z.lte(Number.MAX_SAFE_INTEGER))
/** Text Apple signs (ids, codes, names): bounded so a message quoting it stays short. */
export const appleTextSchema = z.string().check(z.maxLength(4096))

/** A decoded `signedTransactionInfo` (Apple's JWSTransactionDecodedPayload), verified. */
export interface AppleTransactionInfo {
  readonly transactionId?: string | undefined
  readonly originalTransactionId?: string | undefined
  readonly webOrderLineItemId?: string | undefined
  readonly bundleId?: string | undefined
  readonly productId?: string | undefined
  readonly subscriptionGroupIdentifier?: string | undefined
  /** Epoch milliseconds. */
  readonly purchaseDate?: number | undefined
  readonly originalPurchaseDate?: number | undefined
  readonly expiresDate?: number | undefined
  readonly quantity?: number | undefined
  /** `Auto-Renewable Subscription`, `Consumable`, ... */
  readonly type?: string | undefined
  readonly appAccountToken?: string | undefined
  readonly inAppOwnershipType?: string | undefined
  readonly signedDate?: number | undefined
  readonly revocationReason?: number | undefined
  readonly revocationDate?: number | undefined
  readonly isUpgraded?: boolean | undefined
  readonly offerType?: number | undefined
  readonly offerIdentifier?: string | undefined
  readonly environment?: string | undefined
  readonly storefront?: string | undefined
  readonly storefrontId?: string | undefined
  readonly transactionReason?: string | undefined
  readonly currency?: string | undefined
  /** Milliunits of the currency. */
  readonly price?: number | undefined
  readonly appTransactionId?: string | undefined
  readonly [field: string]: unknown
}

/** A decoded `signedRenewalInfo` (Apple's JWSRenewalInfoDecodedPayload), verified. */
export interface AppleRenewalInfo {
  readonly originalTransactionId?: string | undefined
  readonly autoRenewProductId?: string | undefined
  readonly productId?: string | undefined
  readonly autoRenewStatus?: number | undefined
  readonly expirationIntent?: number | undefined
  readonly isInBillingRetryPeriod?: boolean | undefined
  readonly priceIncreaseStatus?: number | undefined
  /** Epoch milliseconds. */
  readonly gracePeriodExpiresDate?: number | undefined
  readonly signedDate?: number | undefined
  readonly environment?: string | undefined
  readonly recentSubscriptionStartDate?: number | undefined
  readonly renewalDate?: number | undefined
  readonly currency?: string | undefined
  readonly renewalPrice?: number | undefined
  readonly appTransactionId?: string | undefined
  readonly [field: string]: unknown
}

/** A decoded `signedAppTransactionInfo` (Apple's AppTransaction), verified. */
export interface AppleAppTransaction {
  /** The environment: `Sandbox`, `Production`, ... */
  readonly receiptType?: string | undefined
  readonly appAppleId?: number | undefined
  readonly bundleId?: string | undefined
  readonly applicationVersion?: string | undefined
  /** Epoch milliseconds. */
  readonly receiptCreationDate?: number | undefined
  readonly originalPurchaseDate?: number | undefined
  readonly originalApplicationVersion?: string | undefined
  readonly preorderDate?: number | undefined
  readonly appTransactionId?: string | undefined
  readonly originalPlatform?: string | undefined
  readonly [field: string]: unknown
}

const text = z.optional(appleTextSchema)
const time = z.optional(epochMsSchema)
const count = z.optional(appleNumberSchema)

export const transactionInfoSchema: z.ZodType<AppleTransactionInfo> = z.lazy(() =>
  z.looseObject({
    transactionId: text,
    originalTransactionId: text,
    webOrderLineItemId: text,
    bundleId: text,
    productId: text,
    subscriptionGroupIdentifier: text,
    purchaseDate: time,
    originalPurchaseDate: time,
    expiresDate: time,
    quantity: count,
    type: text,
    appAccountToken: text,
    inAppOwnershipType: text,
    signedDate: time,
    revocationReason: count,
    revocationDate: time,
    isUpgraded: z.optional(z.boolean()),
    offerType: count,
    offerIdentifier: text,
    environment: text,
    storefront: text,
    storefrontId: text,
    transactionReason: text,
    currency: text,
    price: z.optional(
      z.number().check(z.int(), z.gte(-Number.MAX_SAFE_INTEGER), z.lte(Number.MAX_SAFE_INTEGER)),
    ),
    appTransactionId: text,
  }),
)

export const renewalInfoSchema: z.ZodType<AppleRenewalInfo> = z.lazy(() =>
  z.looseObject({
    originalTransactionId: text,
    autoRenewProductId: text,
    productId: text,
    autoRenewStatus: count,
    expirationIntent: count,
    isInBillingRetryPeriod: z.optional(z.boolean()),
    priceIncreaseStatus: count,
    gracePeriodExpiresDate: time,
    signedDate: time,
    environment: text,
    recentSubscriptionStartDate: time,
    renewalDate: time,
    currency: text,
    renewalPrice: z.optional(
      z.number().check(z.int(), z.gte(-Number.MAX_SAFE_INTEGER), z.lte(Number.MAX_SAFE_INTEGER)),
    ),
    appTransactionId: text,
  }),
)

export const appTransactionSchema: z.ZodType<AppleAppTransaction> = z.lazy(() =>
  z.looseObject({
    receiptType: text,
    appAppleId: count,
    bundleId: text,
    applicationVersion: text,
    receiptCreationDate: time,
    originalPurchaseDate: time,
    originalApplicationVersion: text,
    preorderDate: time,
    appTransactionId: text,
    originalPlatform: text,
  }),
)
