/** What each of Apple's `sendAttemptResult` values means for the server that should have received it. */
export const SEND_ATTEMPT_RESULTS: Readonly<Record<string, string>> = {
  SUCCESS: 'your server answered with an HTTP status from 200 to 206',
  TIMED_OUT: 'your server did not answer in time',
  TLS_ISSUE: 'the TLS connection failed (certificate, protocol or cipher)',
  CIRCULAR_REDIRECT: 'your URL redirected in a loop',
  NO_RESPONSE: 'your server sent no response',
  SOCKET_ISSUE: 'the connection failed at the socket level',
  UNSUPPORTED_CHARSET: 'your response used a charset Apple does not support',
  INVALID_RESPONSE: 'your server sent an invalid response',
  PREMATURE_CLOSE: 'the connection closed before the response was complete',
  UNSUCCESSFUL_HTTP_RESPONSE_CODE: 'your server answered with a status outside 200 to 206',
  OTHER: 'Apple reports another problem',
}

/** A reading of a result code; codes Apple adds later are kept and called unknown, never refused. */
export function describeSendAttemptResult(result: string): string {
  return Object.hasOwn(SEND_ATTEMPT_RESULTS, result)
    ? SEND_ATTEMPT_RESULTS[result]
    : 'a result code notiprobe does not know yet'
}
