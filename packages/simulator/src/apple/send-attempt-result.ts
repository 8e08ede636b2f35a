/** Apple's `sendAttemptResult` values, as recorded for notifications and performance tests. */
export const SEND_ATTEMPT_RESULTS = [
  'SUCCESS',
  'TIMED_OUT',
  'TLS_ISSUE',
  'CIRCULAR_REDIRECT',
  'NO_RESPONSE',
  'SOCKET_ISSUE',
  'UNSUPPORTED_CHARSET',
  'INVALID_RESPONSE',
  'PREMATURE_CLOSE',
  'UNSUCCESSFUL_HTTP_RESPONSE_CODE',
  'OTHER',
] as const

export type SendAttemptResult = (typeof SEND_ATTEMPT_RESULTS)[number]

/** One entry of `sendAttempts` in Apple's responses. */
export interface SendAttempt {
  /** Epoch milliseconds. */
  attemptDate: number
  sendAttemptResult: SendAttemptResult
}
