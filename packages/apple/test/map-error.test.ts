import type { VendorResponse } from '@notiprobe/core/adapter'
import { describe, expect, it } from 'vitest'
import { APPLE_ERROR_CODES } from '../src/index.js'
import { mapAppleError } from '../src/map-error.js'

/** An operation whose label is its name, so messages start with it. */
const op = (name: string) => ({ name, label: name })

function response(
  status: number,
  body: string,
  headers: Record<string, string> = {},
  retryAfterMs?: number,
): VendorResponse {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    json = undefined
  }
  return { status, headers, body, json, retryAfterMs }
}

function appleError(
  status: number,
  errorCode: number,
  errorMessage = 'text from Apple',
): VendorResponse {
  return response(status, JSON.stringify({ errorCode, errorMessage }), {
    'content-type': 'application/json',
  })
}

// The facts table, restated here so that the implementation is checked against it, not itself.
const FACTS: readonly (readonly [number, string, number, string, boolean])[] = [
  [4000000, 'GeneralBadRequest', 400, 'invalid_input', false],
  [4000006, 'InvalidTransactionId', 400, 'invalid_input', false],
  [4000012, 'StartDateTooFarInPast', 400, 'invalid_input', false],
  [4000013, 'StartDateAfterEndDate', 400, 'invalid_input', false],
  [4000014, 'InvalidPaginationToken', 400, 'invalid_input', false],
  [4000015, 'InvalidStartDate', 400, 'invalid_input', false],
  [4000016, 'InvalidEndDate', 400, 'invalid_input', false],
  [4000017, 'PaginationTokenExpired', 400, 'invalid_input', false],
  [4000018, 'InvalidNotificationType', 400, 'invalid_input', false],
  [4000019, 'MultipleFiltersSupplied', 400, 'invalid_input', false],
  [4000020, 'InvalidTestNotificationToken', 400, 'invalid_input', false],
  [4000048, 'AppTransactionIdNotSupportedError', 400, 'invalid_input', false],
  [4000185, 'FamilyTransactionNotSupportedError', 400, 'invalid_input', false],
  [4000187, 'TransactionIdIsNotOriginalTransactionIdError', 400, 'invalid_input', false],
  [4000211, 'InvalidPerformanceTestRequest', 400, 'invalid_input', false],
  [4000212, 'InvalidRequestId', 400, 'invalid_input', false],
  [4000213, 'ExistingPerformanceTestRun', 400, 'invalid_input', false],
  [4030026, 'ForbiddenNoPassingTest', 403, 'forbidden', false],
  [4040001, 'AccountNotFound', 404, 'not_found', false],
  [4040002, 'AccountNotFoundRetryable', 404, 'not_found', true],
  [4040004, 'AppNotFoundRetryable', 404, 'not_found', true],
  [4040006, 'OriginalTransactionIdNotFoundRetryable', 404, 'not_found', true],
  [4040007, 'ServerNotificationUrlNotFound', 404, 'not_found', false],
  [4040008, 'TestNotificationNotFound', 404, 'not_found', false],
  [4040010, 'TransactionIdNotFound', 404, 'not_found', false],
  [4040018, 'PerformanceTestRunNotFound', 404, 'not_found', false],
  [4040021, 'RealtimeUrlNotFound', 404, 'not_found', false],
  [4290000, 'RateLimitExceeded', 429, 'rate_limited', true],
  [5000000, 'GeneralInternal', 500, 'vendor_error', false],
  [5000001, 'GeneralInternalRetryable', 500, 'vendor_error', true],
]

describe('the Apple error table', () => {
  it('holds exactly the codes of the facts table', () => {
    expect([...APPLE_ERROR_CODES.keys()].sort()).toEqual(FACTS.map(([code]) => code).sort())
  })

  it.each(FACTS)(
    'maps %i %s (HTTP %i) to %s, retryable %s',
    (code, name, status, kind, retryable) => {
      const info = APPLE_ERROR_CODES.get(code)!
      expect(info).toMatchObject({ name, httpStatus: status, kind, retryable })
      const error = mapAppleError(appleError(status, code), op('apple.someCall'))
      expect(error).toMatchObject({
        vendor: 'apple',
        operation: 'apple.someCall',
        kind,
        retryable,
        httpStatus: status,
        vendorCode: code,
        vendorMessage: 'text from Apple',
      })
      expect(error.message).toBe(
        `apple.someCall failed: Apple error ${code} ${name} (HTTP ${status}). ${info.advice}`,
      )
      expect(info.advice).toMatch(/^[A-Za-z].{20,}\.$/)
    },
  )

  it('says what to do for the codes people meet', () => {
    expect(
      mapAppleError(appleError(404, 4040007), op('apple.requestTestNotification')).message,
    ).toBe(
      'apple.requestTestNotification failed: Apple error 4040007 ServerNotificationUrlNotFound (HTTP 404). No App Store Server Notifications URL is configured for this app in this environment: set one in App Store Connect (App Information, App Store Server Notifications), then request the test notification again.',
    )
    expect(mapAppleError(appleError(403, 4030026), op('apple.x')).message).toContain(
      'must pass a performance test first',
    )
    expect(mapAppleError(appleError(400, 4000017), op('apple.x')).message).toContain(
      'restart the notification history iteration from the first page',
    )
    // The performance test's own codes, each with what to do.
    expect(mapAppleError(appleError(400, 4000048), op('apple.x')).message).toContain(
      'is an app transaction id',
    )
    expect(mapAppleError(appleError(400, 4000185), op('apple.x')).message).toContain(
      'Family Sharing',
    )
    expect(mapAppleError(appleError(400, 4000187), op('apple.x')).message).toContain(
      'pass the originalTransactionId',
    )
    expect(mapAppleError(appleError(404, 4040021), op('apple.x')).message).toContain(
      'No realtime (Get Retention Message) URL is configured',
    )
  })

  it('keeps Retry-After and says how long Apple asks to wait', () => {
    const error = mapAppleError(
      response(429, '{"errorCode":4290000,"errorMessage":"Rate limit exceeded."}', {}, 4200),
      op('apple.requestTestNotification'),
    )
    expect(error).toMatchObject({ kind: 'rate_limited', retryable: true, retryAfterMs: 4200 })
    expect(error.message).toBe(
      "apple.requestTestNotification failed: Apple error 4290000 RateLimitExceeded (HTTP 429). Apple's rate limit for this endpoint was exceeded: wait until Retry-After before calling again. Apple asks to wait 5 s.",
    )
  })

  it('keeps an unknown code as a number, with the kind its status means', () => {
    const error = mapAppleError(
      appleError(404, 4040099, 'Something new.'),
      op('apple.initiatePerformanceTest'),
    )
    expect(error).toMatchObject({
      kind: 'not_found',
      vendorCode: 4040099,
      retryable: false,
      httpStatus: 404,
    })
    expect(error.message).toBe(
      'apple.initiatePerformanceTest failed: Apple answered HTTP 404 with error 4040099, a code notiprobe does not know: Something new.',
    )
    expect(mapAppleError(appleError(503, 5030000), op('apple.x'))).toMatchObject({
      kind: 'vendor_error',
      vendorCode: 5030000,
      retryable: false,
    })
  })
})

describe('answers that are not Apple JSON errors', () => {
  it('maps the plain-text 401 to auth with the request id and a hint', () => {
    const body = 'Unauthenticated\n\nRequest ID: 5SZKBFLHN2BEB5NJ3UWSGOBHGA.0.0'
    const error = mapAppleError(
      response(401, body, { 'content-type': 'text/plain' }),
      op('apple.requestTestNotification'),
      { environment: 'Sandbox' },
    )
    expect(error).toMatchObject({
      kind: 'auth',
      httpStatus: 401,
      requestId: '5SZKBFLHN2BEB5NJ3UWSGOBHGA.0.0',
      vendorMessage: 'Unauthenticated',
      retryable: false,
      vendorCode: undefined,
    })
    expect(error.message).toBe(
      'apple.requestTestNotification failed: Apple refused the credentials (HTTP 401, request ID 5SZKBFLHN2BEB5NJ3UWSGOBHGA.0.0). Check that keyId is the id of an In-App Purchase key, that the private key is that key, that issuerId is your team’s issuer id, that bundleId is the app’s bundle id, and that this machine’s clock is right (each token is valid for 5 minutes). (In Production, calls also fail with 401 until the app has shipped to the App Store once.)',
    )
  })

  it('says in Production that calls fail until the app has shipped', () => {
    const error = mapAppleError(
      response(401, 'Unauthenticated\nRequest ID: ABC.0.0'),
      op('apple.x'),
      {
        environment: 'Production',
      },
    )
    expect(error.requestId).toBe('ABC.0.0')
    expect(error.message).toContain(
      'In Production, every call fails with 401 until the app has shipped to the App Store once: use Sandbox until then.',
    )
    expect(mapAppleError(response(401, ''), op('apple.x')).requestId).toBeUndefined()
  })

  it('types an HTML 502 from a proxy by its status', () => {
    const html =
      '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>'
    const error = mapAppleError(
      response(502, html, { 'content-type': 'text/html; charset=utf-8' }),
      op('apple.getTestNotificationStatus'),
    )
    expect(error).toMatchObject({
      kind: 'vendor_error',
      httpStatus: 502,
      retryable: false,
      vendorCode: undefined,
      vendorMessage: '502 Bad Gateway 502 Bad Gateway',
    })
    expect(error.message).toBe(
      `apple.getTestNotificationStatus failed: Apple answered HTTP 502 with a text/html body that is not Apple's JSON error (${html.length} bytes). This is usually a proxy or an outage; try again later.`,
    )
  })

  it('types empty, truncated and foreign JSON bodies by their status', () => {
    expect(mapAppleError(response(500, ''), op('apple.x')).message).toBe(
      'apple.x failed: Apple answered HTTP 500 with an empty body (0 bytes). This is usually a proxy or an outage; try again later.',
    )
    expect(mapAppleError(response(503, '{"errorCode":50000'), op('apple.x'))).toMatchObject({
      kind: 'vendor_error',
      httpStatus: 503,
    })
    expect(mapAppleError(response(404, '{"message":"nope"}'), op('apple.x'))).toMatchObject({
      kind: 'not_found',
      vendorCode: undefined,
    })
    expect(mapAppleError(response(429, 'slow down'), op('apple.x'))).toMatchObject({
      kind: 'rate_limited',
      retryable: false,
    })
  })
})
