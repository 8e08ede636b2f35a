import { randomInt, randomUUID } from 'node:crypto'
import type { AppleEnvironment } from './environment.js'
import type { NotificationType } from './notification-types.js'
import type { PayloadSigner } from './payload-signer.js'

/** Which notification to build: any type Apple sends, with the subtype where it has one. */
export interface NotificationSpec {
  notificationType: NotificationType
  subtype?: string
}

export interface PayloadContext {
  signer: PayloadSigner
  environment: AppleEnvironment
  bundleId: string
  appAppleId: number
  now: number
}

const DAY_MS = 86_400_000
const PRODUCT_ID = 'com.example.premium.monthly'
/** Types about a one-off purchase: a transaction, no renewal info. */
const ONE_OFF_TYPES = new Set([
  'ONE_TIME_CHARGE',
  'CONSUMPTION_REQUEST',
  'REFUND',
  'REFUND_DECLINED',
  'REFUND_REVERSED',
])

/**
 * A V2 notification as Apple builds one, with the app named where its type names it: `summary`
 * for RENEWAL_EXTENSION/SUMMARY, `externalPurchaseToken` for EXTERNAL_PURCHASE_TOKEN (no
 * environment field; a Sandbox token's id starts with `SANDBOX`), `appData` with a signed app
 * transaction for RESCIND_CONSENT, and `data` for every other type, with a signed transaction and,
 * for subscriptions, signed renewal info. Nested JWS are signed by the same chain.
 */
export async function buildNotificationPayload(
  spec: NotificationSpec,
  context: PayloadContext,
): Promise<Record<string, unknown>> {
  const { notificationType, subtype } = spec
  const base = {
    notificationType,
    ...(subtype === undefined ? {} : { subtype }),
    notificationUUID: randomUUID(),
    version: '2.0',
    signedDate: context.now,
  }
  if (notificationType === 'TEST') return { ...base, data: appOf(context) }
  if (notificationType === 'RENEWAL_EXTENSION' && subtype === 'SUMMARY') {
    return { ...base, summary: summaryOf(context) }
  }
  if (notificationType === 'EXTERNAL_PURCHASE_TOKEN') {
    return { ...base, externalPurchaseToken: externalPurchaseTokenOf(context) }
  }
  if (notificationType === 'RESCIND_CONSENT') {
    return { ...base, appData: await appDataOf(context) }
  }
  const originalTransactionId = `2000${String(randomInt(1e11, 1e12))}`
  const oneOff = ONE_OFF_TYPES.has(notificationType)
  return {
    ...base,
    data: {
      ...appOf(context),
      bundleVersion: '1.0',
      ...(oneOff ? {} : { status: 1 }),
      signedTransactionInfo: await context.signer.sign(
        transactionOf(context, originalTransactionId, oneOff),
      ),
      ...(oneOff
        ? {}
        : {
            signedRenewalInfo: await context.signer.sign(renewalOf(context, originalTransactionId)),
          }),
    },
  }
}

function appOf(context: PayloadContext): Record<string, unknown> {
  return {
    // Apple includes the app's Apple ID only in Production `data`.
    ...(context.environment === 'Production' ? { appAppleId: context.appAppleId } : {}),
    bundleId: context.bundleId,
    environment: context.environment,
  }
}

function summaryOf(context: PayloadContext): Record<string, unknown> {
  return {
    requestIdentifier: randomUUID(),
    environment: context.environment,
    appAppleId: context.appAppleId,
    bundleId: context.bundleId,
    productId: PRODUCT_ID,
    storefrontCountryCodes: ['USA', 'FRA'],
    failedCount: 0,
    succeededCount: 12,
  }
}

function externalPurchaseTokenOf(context: PayloadContext): Record<string, unknown> {
  const id = randomUUID()
  return {
    externalPurchaseId: context.environment === 'Sandbox' ? `SANDBOX_${id}` : id,
    tokenCreationDate: context.now - DAY_MS,
    appAppleId: context.appAppleId,
    bundleId: context.bundleId,
  }
}

async function appDataOf(context: PayloadContext): Promise<Record<string, unknown>> {
  return {
    appAppleId: context.appAppleId,
    bundleId: context.bundleId,
    environment: context.environment,
    signedAppTransactionInfo: await context.signer.sign({
      receiptType: context.environment,
      appAppleId: context.appAppleId,
      bundleId: context.bundleId,
      applicationVersion: '1.0',
      receiptCreationDate: context.now - DAY_MS,
      originalPurchaseDate: context.now - 30 * DAY_MS,
      originalApplicationVersion: '1.0',
      appTransactionId: `7${String(randomInt(1e11, 1e12))}`,
      originalPlatform: 'iOS',
    }),
  }
}

function transactionOf(
  context: PayloadContext,
  originalTransactionId: string,
  oneOff: boolean,
): Record<string, unknown> {
  const purchaseDate = context.now - DAY_MS
  return {
    transactionId: originalTransactionId,
    originalTransactionId,
    bundleId: context.bundleId,
    productId: oneOff ? 'com.example.coins.100' : PRODUCT_ID,
    purchaseDate,
    originalPurchaseDate: purchaseDate,
    quantity: 1,
    type: oneOff ? 'Consumable' : 'Auto-Renewable Subscription',
    inAppOwnershipType: 'PURCHASED',
    signedDate: context.now,
    environment: context.environment,
    transactionReason: 'PURCHASE',
    storefront: 'USA',
    storefrontId: '143441',
    price: 4990,
    currency: 'USD',
    ...(oneOff
      ? {}
      : {
          webOrderLineItemId: `2000${String(randomInt(1e11, 1e12))}`,
          subscriptionGroupIdentifier: '21000001',
          expiresDate: purchaseDate + 30 * DAY_MS,
        }),
  }
}

function renewalOf(
  context: PayloadContext,
  originalTransactionId: string,
): Record<string, unknown> {
  return {
    originalTransactionId,
    autoRenewProductId: PRODUCT_ID,
    productId: PRODUCT_ID,
    autoRenewStatus: 1,
    signedDate: context.now,
    environment: context.environment,
    recentSubscriptionStartDate: context.now - DAY_MS,
    renewalDate: context.now + 29 * DAY_MS,
    currency: 'USD',
    renewalPrice: 4990,
  }
}
