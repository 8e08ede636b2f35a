import type { ConnectionFailure, HookPostResult } from './post-to-hook.js'

/** The `status` text and `status_code` a delivery is recorded with. */
export interface DeliveryStatus {
  status: string
  statusCode: number
}

export interface StatusCodePicks {
  connectionFailureStatusCode: number
  timeoutStatusCode: number
}

/**
 * GitHub's failure names (troubleshooting-webhooks docs); the exact strings GitHub records for
 * connection-level failures are unconfirmed, so these are the documented names as they are.
 */
const FAILURE_STATUS: Readonly<Record<ConnectionFailure, string>> = {
  timeout: 'timed out',
  refused: 'failed to connect to network',
  dns: 'failed to connect to host',
  tls: 'Peer certificate cannot be authenticated with given CA certificates',
  reset: 'Invalid HTTP Response: 0',
  'invalid-response': 'Invalid HTTP Response: 0',
}

/**
 * - 2xx → `OK` with the receiver's code (the docs' success; the examples pair it with 200).
 * - Anything else with an HTTP answer, 3xx included (redirects are not followed: GitHub asks for
 *   a 2xx) → `Invalid HTTP Response: <code>`, the UI's wording, with that code.
 * - No HTTP answer → the documented failure name, with `timeoutStatusCode` (default 504) for a
 *   timeout and `connectionFailureStatusCode` (default 502, as OAS pairs "failed to connect" with
 *   502) for the rest. Both codes are unconfirmed picks and settable, e.g. to 0.
 */
export function deliveryStatus(result: HookPostResult, picks: StatusCodePicks): DeliveryStatus {
  if (result.kind === 'response') {
    const code = result.statusCode
    if (code >= 200 && code <= 299) return { status: 'OK', statusCode: code }
    return { status: `Invalid HTTP Response: ${String(code)}`, statusCode: code }
  }
  return {
    status: FAILURE_STATUS[result.failure],
    statusCode:
      result.failure === 'timeout' ? picks.timeoutStatusCode : picks.connectionFailureStatusCode,
  }
}
