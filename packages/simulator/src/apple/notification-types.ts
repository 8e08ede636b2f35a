/**
 * App Store Server Notifications V2 types and the subtypes each may carry. History requests are
 * checked against this table: a subtype a listed type never has is 4000018. Types Apple added
 * without published subtypes (`null`) take any upper-case subtype, and so does a type not listed:
 * new types keep coming, and Apple does not refuse the ones a client has not heard of yet.
 */
export const NOTIFICATION_SUBTYPES_BY_TYPE = {
  CONSUMPTION_REQUEST: [],
  DID_CHANGE_RENEWAL_PREF: ['UPGRADE', 'DOWNGRADE'],
  DID_CHANGE_RENEWAL_STATUS: ['AUTO_RENEW_ENABLED', 'AUTO_RENEW_DISABLED'],
  DID_FAIL_TO_RENEW: ['GRACE_PERIOD'],
  DID_RENEW: ['BILLING_RECOVERY'],
  EXPIRED: ['VOLUNTARY', 'BILLING_RETRY', 'PRICE_INCREASE', 'PRODUCT_NOT_FOR_SALE'],
  EXTERNAL_PURCHASE_TOKEN: ['UNREPORTED'],
  GRACE_PERIOD_EXPIRED: [],
  METADATA_UPDATE: null,
  MIGRATION: null,
  OFFER_REDEEMED: ['INITIAL_BUY', 'RESUBSCRIBE', 'UPGRADE', 'DOWNGRADE'],
  ONE_TIME_CHARGE: [],
  PRICE_CHANGE: null,
  PRICE_INCREASE: ['PENDING', 'ACCEPTED'],
  REFUND: [],
  REFUND_DECLINED: [],
  REFUND_REVERSED: [],
  RENEWAL_EXTENDED: [],
  RENEWAL_EXTENSION: ['SUMMARY', 'FAILURE'],
  RESCIND_CONSENT: [],
  REVOKE: [],
  SUBSCRIBED: ['INITIAL_BUY', 'RESUBSCRIBE'],
  TEST: [],
} as const satisfies Record<string, readonly string[] | null>

/** A type the simulator knows. */
export type KnownNotificationType = keyof typeof NOTIFICATION_SUBTYPES_BY_TYPE
/** A known type, or any other upper-case name Apple may add. */
export type NotificationType = KnownNotificationType | (string & {})

export const NOTIFICATION_TYPES = Object.keys(
  NOTIFICATION_SUBTYPES_BY_TYPE,
) as KnownNotificationType[]

/** Apple's type and subtype names: upper-case words joined by underscores. */
const UPPER_CASE_NAME = /^[A-Z][A-Z0-9_]{0,63}$/

/** Whether `value` can be a notification type: a known one, or an upper-case name. */
export function isNotificationType(value: unknown): value is NotificationType {
  return typeof value === 'string' && UPPER_CASE_NAME.test(value)
}

/** Whether `subtype` is one `type` may carry. */
export function isSubtypeOf(type: NotificationType, subtype: string): boolean {
  const known: readonly string[] | null | undefined = Object.hasOwn(
    NOTIFICATION_SUBTYPES_BY_TYPE,
    type,
  )
    ? NOTIFICATION_SUBTYPES_BY_TYPE[type as KnownNotificationType]
    : undefined
  return known === null || known === undefined
    ? UPPER_CASE_NAME.test(subtype)
    : known.includes(subtype)
}
