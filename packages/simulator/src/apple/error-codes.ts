import type { ServerResponse } from 'node:http'
import { sendJson, type ResponseHeaders } from '../common/index.js'

/** An Apple error: the HTTP status it travels with, its numeric code and its message. */
export interface AppleErrorInfo {
  readonly status: number
  readonly errorCode: number
  readonly errorMessage: string
}

/**
 * The errors the simulator answers with, by Apple's name. One table so the codes and statuses can
 * be checked against the vendor facts in one place.
 */
export const APPLE_ERRORS = {
  GeneralBadRequest: {
    status: 400,
    errorCode: 4000000,
    errorMessage: 'Bad request.',
  },
  InvalidTransactionId: {
    status: 400,
    errorCode: 4000006,
    errorMessage: 'Invalid transaction id.',
  },
  StartDateTooFarInPast: {
    status: 400,
    errorCode: 4000012,
    errorMessage: 'Invalid request. The start date is earlier than the allowed start date.',
  },
  StartDateAfterEndDate: {
    status: 400,
    errorCode: 4000013,
    errorMessage: 'Invalid request. The end date precedes the start date or the dates are equal.',
  },
  InvalidPaginationToken: {
    status: 400,
    errorCode: 4000014,
    errorMessage: 'Invalid request. The pagination token is invalid.',
  },
  InvalidStartDate: {
    status: 400,
    errorCode: 4000015,
    errorMessage: 'Invalid request. The start date is not a timestamp value in milliseconds.',
  },
  InvalidEndDate: {
    status: 400,
    errorCode: 4000016,
    errorMessage: 'Invalid request. The end date is not a timestamp value in milliseconds.',
  },
  PaginationTokenExpired: {
    status: 400,
    errorCode: 4000017,
    errorMessage: 'Invalid request. The pagination token is expired.',
  },
  InvalidNotificationType: {
    status: 400,
    errorCode: 4000018,
    errorMessage: 'Invalid request. The notification type or subtype is invalid.',
  },
  MultipleFiltersSupplied: {
    status: 400,
    errorCode: 4000019,
    errorMessage: 'Invalid request. Only one of transactionId or notificationType may be supplied.',
  },
  InvalidTestNotificationToken: {
    status: 400,
    errorCode: 4000020,
    errorMessage: 'Invalid request. The test notification token is invalid.',
  },
  InvalidPerformanceTestRequest: {
    status: 400,
    errorCode: 4000211,
    errorMessage: 'Invalid request. The performance test request is invalid.',
  },
  InvalidRequestId: {
    status: 400,
    errorCode: 4000212,
    errorMessage: 'Invalid request. The request id is invalid.',
  },
  ExistingPerformanceTestRun: {
    status: 400,
    errorCode: 4000213,
    errorMessage: 'Invalid request. A performance test is already running for this app.',
  },
  TransactionIdNotFound: {
    status: 404,
    errorCode: 4040010,
    errorMessage: 'Transaction id not found.',
  },
  ServerNotificationUrlNotFound: {
    status: 404,
    errorCode: 4040007,
    errorMessage:
      'No App Store Server Notification URL found for provided app. Check that a URL is configured for this environment.',
  },
  TestNotificationNotFound: {
    status: 404,
    errorCode: 4040008,
    errorMessage:
      'Either the test notification token is expired or the notification and status are not yet available.',
  },
  PerformanceTestRunNotFound: {
    status: 404,
    errorCode: 4040018,
    errorMessage: 'Performance test run not found.',
  },
  RealtimeUrlNotFound: {
    status: 404,
    errorCode: 4040021,
    errorMessage: 'Realtime URL not found. Configure the Get Retention Message endpoint first.',
  },
  RouteNotFound: {
    status: 404,
    errorCode: 4040000,
    errorMessage: 'Not found.',
  },
  RateLimitExceeded: {
    status: 429,
    errorCode: 4290000,
    errorMessage: 'Rate limit exceeded.',
  },
  GeneralInternal: {
    status: 500,
    errorCode: 5000000,
    errorMessage: 'An unknown error occurred.',
  },
  GeneralInternalRetryable: {
    status: 500,
    errorCode: 5000001,
    errorMessage: 'An unknown error occurred. Please try again.',
  },
} as const satisfies Record<string, AppleErrorInfo>

export type AppleErrorName = keyof typeof APPLE_ERRORS

/** Answers `{errorCode, errorMessage}` with the error's status (or `status` when given). */
export function sendAppleError(
  res: ServerResponse,
  name: AppleErrorName,
  options: { status?: number; headers?: ResponseHeaders } = {},
): void {
  const { status, errorCode, errorMessage } = APPLE_ERRORS[name]
  sendJson(res, options.status ?? status, { errorCode, errorMessage }, options.headers)
}
