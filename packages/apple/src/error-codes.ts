import type { ErrorKind } from '@notiprobe/core'

/** What notiprobe knows about one Apple `errorCode`. */
export interface AppleErrorCodeInfo {
  /** Apple's name for the code. */
  readonly name: string
  readonly httpStatus: number
  readonly kind: ErrorKind
  /** Apple itself says the call may be repeated. */
  readonly retryable: boolean
  /** What it means and what to do, for the error message. */
  readonly advice: string
}

const entries: readonly (readonly [number, AppleErrorCodeInfo])[] = [
  [
    4000000,
    {
      name: 'GeneralBadRequest',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice: 'Apple found the request invalid; check its arguments.',
    },
  ],
  [
    4000006,
    {
      name: 'InvalidTransactionId',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice:
        'The transaction id is not valid: pass the numeric id of a transaction from the same environment.',
    },
  ],
  [
    4000012,
    {
      name: 'StartDateTooFarInPast',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice:
        'startDate is too far in the past: notification history reaches back 180 days in Production and 30 days in Sandbox.',
    },
  ],
  [
    4000013,
    {
      name: 'StartDateAfterEndDate',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice: 'startDate must be before endDate.',
    },
  ],
  [
    4000014,
    {
      name: 'InvalidPaginationToken',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice:
        'Apple refused the pagination token: restart the notification history iteration from the first page.',
    },
  ],
  [
    4000015,
    {
      name: 'InvalidStartDate',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice: 'startDate must be a time in epoch milliseconds.',
    },
  ],
  [
    4000016,
    {
      name: 'InvalidEndDate',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice: 'endDate must be a time in epoch milliseconds.',
    },
  ],
  [
    4000017,
    {
      name: 'PaginationTokenExpired',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice:
        'The pagination token expired: restart the notification history iteration from the first page.',
    },
  ],
  [
    4000018,
    {
      name: 'InvalidNotificationType',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice:
        'notificationType or notificationSubtype is not one Apple knows, or the subtype does not belong to the type.',
    },
  ],
  [
    4000019,
    {
      name: 'MultipleFiltersSupplied',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice: 'Filter by transactionId or by notificationType, not both.',
    },
  ],
  [
    4000020,
    {
      name: 'InvalidTestNotificationToken',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice:
        'The test notification token is not valid: use the token that requesting the test notification returned.',
    },
  ],
  [
    4000048,
    {
      name: 'AppTransactionIdNotSupportedError',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice:
        'The id given is an app transaction id: the performance test needs the originalTransactionId of an in-app purchase (a subscription) in Sandbox.',
    },
  ],
  [
    4000185,
    {
      name: 'FamilyTransactionNotSupportedError',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice:
        'The transaction was shared through Family Sharing, which the performance test does not take: use the original transaction of the purchaser.',
    },
  ],
  [
    4000187,
    {
      name: 'TransactionIdIsNotOriginalTransactionIdError',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice:
        'The id is a transaction id but not an original one: pass the originalTransactionId of the purchase (the first transaction of the subscription).',
    },
  ],
  [
    4000211,
    {
      name: 'InvalidPerformanceTestRequest',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice:
        'The performance test request is invalid: pass the originalTransactionId of a Sandbox transaction.',
    },
  ],
  [
    4000212,
    {
      name: 'InvalidRequestId',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice:
        'The performance test request id is invalid: use the requestId that initiating the performance test returned.',
    },
  ],
  [
    4000213,
    {
      name: 'ExistingPerformanceTestRun',
      httpStatus: 400,
      kind: 'invalid_input',
      retryable: false,
      advice:
        'A performance test is already running for this app: wait for it to finish before starting another.',
    },
  ],
  [
    4030026,
    {
      name: 'ForbiddenNoPassingTest',
      httpStatus: 403,
      kind: 'forbidden',
      retryable: false,
      advice:
        'Your Get Retention Message endpoint must pass a performance test first: run the performance test in Sandbox until it passes, then set the production realtime URL.',
    },
  ],
  [
    4040001,
    {
      name: 'AccountNotFound',
      httpStatus: 404,
      kind: 'not_found',
      retryable: false,
      advice:
        'Apple found no account for these credentials: check the issuer id and that the key belongs to the team that owns the app.',
    },
  ],
  [
    4040002,
    {
      name: 'AccountNotFoundRetryable',
      httpStatus: 404,
      kind: 'not_found',
      retryable: true,
      advice: 'Apple could not find the account just now; try again later.',
    },
  ],
  [
    4040004,
    {
      name: 'AppNotFoundRetryable',
      httpStatus: 404,
      kind: 'not_found',
      retryable: true,
      advice: 'Apple could not find the app just now; try again later.',
    },
  ],
  [
    4040006,
    {
      name: 'OriginalTransactionIdNotFoundRetryable',
      httpStatus: 404,
      kind: 'not_found',
      retryable: true,
      advice: 'Apple could not find the original transaction just now; try again later.',
    },
  ],
  [
    4040007,
    {
      name: 'ServerNotificationUrlNotFound',
      httpStatus: 404,
      kind: 'not_found',
      retryable: false,
      advice:
        'No App Store Server Notifications URL is configured for this app in this environment: set one in App Store Connect (App Information, App Store Server Notifications), then request the test notification again.',
    },
  ],
  [
    4040008,
    {
      name: 'TestNotificationNotFound',
      httpStatus: 404,
      kind: 'not_found',
      retryable: false,
      advice:
        'The test notification status is not available yet, or the token is unknown or expired (tokens last about six months); check again shortly.',
    },
  ],
  [
    4040010,
    {
      name: 'TransactionIdNotFound',
      httpStatus: 404,
      kind: 'not_found',
      retryable: false,
      advice: 'No transaction with this id exists in this environment.',
    },
  ],
  [
    4040018,
    {
      name: 'PerformanceTestRunNotFound',
      httpStatus: 404,
      kind: 'not_found',
      retryable: false,
      advice:
        'No performance test run has this request id: use the requestId that initiating the performance test returned.',
    },
  ],
  [
    4040021,
    {
      name: 'RealtimeUrlNotFound',
      httpStatus: 404,
      kind: 'not_found',
      retryable: false,
      advice:
        'No realtime (Get Retention Message) URL is configured for this app: set it for Retention Messaging in App Store Connect, then start the performance test again.',
    },
  ],
  [
    4290000,
    {
      name: 'RateLimitExceeded',
      httpStatus: 429,
      kind: 'rate_limited',
      retryable: true,
      advice:
        "Apple's rate limit for this endpoint was exceeded: wait until Retry-After before calling again.",
    },
  ],
  [
    5000000,
    {
      name: 'GeneralInternal',
      httpStatus: 500,
      kind: 'vendor_error',
      retryable: false,
      advice: 'Apple had an internal error; try again later.',
    },
  ],
  [
    5000001,
    {
      name: 'GeneralInternalRetryable',
      httpStatus: 500,
      kind: 'vendor_error',
      retryable: true,
      advice: 'Apple had a temporary internal error; try again.',
    },
  ],
]

/** Every Apple `errorCode` notiprobe maps, with its kind, whether Apple allows a retry, and advice. */
export const APPLE_ERROR_CODES: ReadonlyMap<number, AppleErrorCodeInfo> = new Map(entries)

/** Apple's code for "the test notification status is not available yet". */
export const TEST_NOTIFICATION_NOT_FOUND = 4040008
/** Apple's code for an expired history pagination token. */
export const PAGINATION_TOKEN_EXPIRED = 4000017
