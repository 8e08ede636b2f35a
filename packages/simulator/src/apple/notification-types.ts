/**
 * App Store Server Notifications V2 types and the subtypes each may carry. History requests are
 * checked against this table (an unknown type, or a subtype its type never has, is 4000018).
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
  OFFER_REDEEMED: ['INITIAL_BUY', 'RESUBSCRIBE', 'UPGRADE', 'DOWNGRADE'],
  ONE_TIME_CHARGE: [],
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
} as const satisfies Record<string, readonly string[]>

export type NotificationType = keyof typeof NOTIFICATION_SUBTYPES_BY_TYPE

export const NOTIFICATION_TYPES = Object.keys(NOTIFICATION_SUBTYPES_BY_TYPE) as NotificationType[]

export function isNotificationType(value: unknown): value is NotificationType {
  return typeof value === 'string' && Object.hasOwn(NOTIFICATION_SUBTYPES_BY_TYPE, value)
}

/** Whether `subtype` is one `type` may carry. */
export function isSubtypeOf(type: NotificationType, subtype: string): boolean {
  return (NOTIFICATION_SUBTYPES_BY_TYPE[type] as readonly string[]).includes(subtype)
}
