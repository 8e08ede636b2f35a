import type { VendorResponse } from '@notiprobe/core/adapter'
import { describe, expect, it } from 'vitest'
import { SAILPOINT_OPERATIONS } from '../src/constants.js'
import { mapSailPointError, type ErrorContext } from '../src/errors.js'

function response(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  retryAfterMs?: number,
): VendorResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  let json: unknown
  try {
    json = typeof body === 'string' ? JSON.parse(body) : body
  } catch {
    json = undefined
  }
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
    json,
    retryAfterMs,
  }
}

const send: ErrorContext = {
  operation: SAILPOINT_OPERATIONS.sendTestNotification,
  endpoint: 'api',
  apiVersion: 'beta',
  url: 'https://acme.api.identitynow.com',
}
const token: ErrorContext = {
  operation: SAILPOINT_OPERATIONS.fetchAccessToken,
  endpoint: 'token',
  apiVersion: 'beta',
  url: 'https://acme.api.identitynow.com/oauth/token',
}

function dto(detailCode: string, text: string, causes: string[] = []) {
  return {
    detailCode,
    trackingId: 'b21b1f7ce4da4d639f2c62a57171b427',
    messages: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text }],
    causes: causes.map((c) => ({ locale: 'en-US', localeOrigin: null, text: c })),
  }
}

describe('mapSailPointError: the API table', () => {
  it.each([
    [400, 'invalid_input', false],
    [401, 'auth', false],
    [403, 'forbidden', false],
    [404, 'not_found', false],
    [405, 'invalid_input', false],
    [409, 'invalid_input', false],
    [429, 'rate_limited', true],
    [500, 'vendor_error', false],
    [502, 'vendor_error', false],
    [503, 'vendor_error', false],
  ] as const)('HTTP %i is %s (retryable: %s)', (status, kind, retryable) => {
    const error = mapSailPointError(response(status, {}), send)
    expect(error.kind).toBe(kind)
    expect(error.retryable).toBe(retryable)
    expect(error.httpStatus).toBe(status)
    expect(error.vendor).toBe('sailpoint')
    expect(error.operation).toBe('sailpoint.sendTestNotification')
  })

  it('reads an ErrorResponseDto: detailCode, trackingId, messages and causes', () => {
    const error = mapSailPointError(
      response(
        400,
        dto(
          '400.1 Bad Request Content',
          'The request was syntactically correct but its content is semantically invalid.',
          ['context.ownerId is required', 'medium must be EMAIL'],
        ),
      ),
      send,
    )
    expect(error.kind).toBe('invalid_input')
    expect(error.vendorCode).toBe('400.1 Bad Request Content')
    expect(error.requestId).toBe('b21b1f7ce4da4d639f2c62a57171b427')
    expect(error.vendorMessage).toBe(
      'The request was syntactically correct but its content is semantically invalid. Causes: context.ownerId is required; medium must be EMAIL.',
    )
    expect(error.message).toBe(
      'Sending the SailPoint test notification failed: SailPoint answered HTTP 400 (400.1 Bad Request Content): The request was syntactically correct but its content is semantically invalid. Causes: context.ownerId is required; medium must be EMAIL. Check key, medium and context against the tenant’s templates: listTemplates() shows the keys and mediums that exist. Tracking id: b21b1f7ce4da4d639f2c62a57171b427.',
    )
  })

  it('reads the 401 {error} body and says what to check', () => {
    const error = mapSailPointError(
      response(401, { error: 'JWT validation failed: JWT is expired' }),
      send,
    )
    expect(error.kind).toBe('auth')
    expect(error.vendorCode).toBeUndefined()
    expect(error.vendorMessage).toBe('JWT validation failed: JWT is expired.')
    expect(error.message).toBe(
      'Sending the SailPoint test notification failed: SailPoint answered HTTP 401: JWT validation failed: JWT is expired. SailPoint refused the access token. Check clientId and clientSecret, that the personal access token has not expired or been deleted, and that tenant (or baseUrl) is the tenant the credentials belong to.',
    )
  })

  it('hints at ORG_ADMIN and the scope of the version on 403', () => {
    const body = dto(
      '403 Forbidden',
      'The server understood the request but refuses to authorize it.',
    )
    expect(mapSailPointError(response(403, body), send).message).toBe(
      "Sending the SailPoint test notification failed: SailPoint answered HTTP 403 (403 Forbidden): The server understood the request but refuses to authorize it. This endpoint needs an identity with the ORG_ADMIN user level and a token with scope sp:scopes:all (apiVersion 'beta'): create the personal access token as an ORG_ADMIN, or grant the OAuth client that scope. Tracking id: b21b1f7ce4da4d639f2c62a57171b427.",
    )
    expect(mapSailPointError(response(403, body), { ...send, apiVersion: 'v1' }).message).toContain(
      "a token with scope idn:notification-templates:create (apiVersion 'v1')",
    )
    expect(
      mapSailPointError(response(403, body), {
        ...send,
        operation: SAILPOINT_OPERATIONS.listTemplates,
        apiVersion: 'v1',
      }).message,
    ).toContain("a token with scope idn:notification-templates:read (apiVersion 'v1')")
  })

  it('says on 404 that the key, the host or the version may be wrong', () => {
    const error = mapSailPointError(
      response(404, dto('404 Not found', 'No notification template has the key "x".')),
      send,
    )
    expect(error.kind).toBe('not_found')
    expect(error.message).toBe(
      `Sending the SailPoint test notification failed: SailPoint answered HTTP 404 (404 Not found): No notification template has the key "x". The template key may not exist in this tenant (listTemplates() shows the keys), or tenant (or baseUrl, now https://acme.api.identitynow.com) and apiVersion 'beta' do not name an API this tenant offers. Tracking id: b21b1f7ce4da4d639f2c62a57171b427.`,
    )
  })

  it('reads the 429 {message} and Retry-After, and is the only retryable answer', () => {
    const error = mapSailPointError(
      response(429, { message: ' Rate Limit Exceeded ' }, { 'retry-after': '7' }, 7000),
      send,
    )
    expect(error.kind).toBe('rate_limited')
    expect(error.retryable).toBe(true)
    expect(error.retryAfterMs).toBe(7000)
    expect(error.vendorMessage).toBe('Rate Limit Exceeded.')
    expect(error.message).toBe(
      'Sending the SailPoint test notification failed: SailPoint answered HTTP 429: Rate Limit Exceeded. SailPoint allows 100 requests per 10 seconds, per access token or (since 2026-03) per client id, so a new token does not reset it; SailPoint asked to wait 7 s.',
    )
  })

  it('maps a 500 ErrorResponseDto to vendor_error with the tracking id to quote', () => {
    const error = mapSailPointError(
      response(500, dto('500.0 Internal Fault', 'An internal fault occurred.')),
      send,
    )
    expect(error.kind).toBe('vendor_error')
    expect(error.retryable).toBe(false)
    expect(error.message).toBe(
      'Sending the SailPoint test notification failed: SailPoint answered HTTP 500 (500.0 Internal Fault): An internal fault occurred. SailPoint had a problem on its side; try again later, and quote the tracking id to SailPoint support if it persists. Tracking id: b21b1f7ce4da4d639f2c62a57171b427.',
    )
  })

  it('types a non-JSON body by its status and quotes it briefly', () => {
    const html =
      '<html><head><title>502 Bad Gateway</title><style>p{}</style></head><body><h1>502 Bad Gateway</h1></body></html>'
    const error = mapSailPointError(
      response(502, html, { 'content-type': 'text/html; charset=utf-8' }),
      send,
    )
    expect(error.kind).toBe('vendor_error')
    expect(error.httpStatus).toBe(502)
    expect(error.vendorCode).toBeUndefined()
    expect(error.vendorMessage).toBe(
      'a non-JSON body (text/html): "502 Bad Gateway 502 Bad Gateway"',
    )
    expect(error.message).toBe(
      'Sending the SailPoint test notification failed: SailPoint answered HTTP 502: a non-JSON body (text/html): "502 Bad Gateway 502 Bad Gateway" SailPoint had a problem on its side; try again later.',
    )
    const empty = mapSailPointError(response(503, '', { 'content-type': 'text/plain' }), send)
    expect(empty.message).toBe(
      'Sending the SailPoint test notification failed: SailPoint answered HTTP 503: an empty body (text/plain). SailPoint had a problem on its side; try again later.',
    )
    const long = mapSailPointError(
      response(500, 'x'.repeat(500), { 'content-type': 'text/plain' }),
      send,
    )
    expect(long.vendorMessage).toBe(`a non-JSON body (text/plain): "${'x'.repeat(200)}…"`)
  })

  it('reads malformed DTOs leniently instead of failing', () => {
    const error = mapSailPointError(
      response(400, {
        detailCode: 7,
        trackingId: null,
        messages: [{ text: null }, 'junk', { text: ' Bad key ' }],
        causes: 'x',
      }),
      send,
    )
    expect(error.kind).toBe('invalid_input')
    expect(error.vendorCode).toBeUndefined()
    expect(error.requestId).toBeUndefined()
    expect(error.vendorMessage).toBe('Bad key.')
    const bare = mapSailPointError(response(400, [1, 2]), send)
    expect(bare.message).toBe(
      'Sending the SailPoint test notification failed: SailPoint answered HTTP 400: no error details. Check key, medium and context against the tenant’s templates: listTemplates() shows the keys and mediums that exist.',
    )
  })
})

describe('mapSailPointError: the token endpoint table', () => {
  it('maps invalid_client to auth, whatever the status', () => {
    for (const status of [400, 401]) {
      const error = mapSailPointError(
        response(status, { error: 'invalid_client', error_description: 'Bad client credentials.' }),
        token,
      )
      expect(error.kind).toBe('auth')
      expect(error.vendorCode).toBe('invalid_client')
      expect(error.operation).toBe('sailpoint.fetchAccessToken')
    }
    expect(
      mapSailPointError(
        response(401, { error: 'invalid_client', error_description: 'Bad client credentials.' }),
        token,
      ).message,
    ).toBe(
      'Fetching a SailPoint access token failed: SailPoint answered HTTP 401: invalid_client: Bad client credentials. The token endpoint refused the client credentials. Check clientId and clientSecret (SAIL_CLIENT_ID, SAIL_CLIENT_SECRET), that the personal access token has not expired or been deleted, and that tenant (or baseUrl) is the tenant the credentials belong to.',
    )
  })

  it('maps a 404 to config, naming the token URL and its host', () => {
    const error = mapSailPointError(
      response(404, '<h1>Not Found</h1>', { 'content-type': 'text/html' }),
      token,
    )
    expect(error.kind).toBe('config')
    expect(error.message).toBe(
      'Fetching a SailPoint access token failed: SailPoint answered HTTP 404: a non-JSON body (text/html): "Not Found" There is no OAuth token endpoint at https://acme.api.identitynow.com/oauth/token (host acme.api.identitynow.com): check tenant (or baseUrl) and tokenUrl.',
    )
  })

  it('maps other refusals to config, 429 to a retryable rate_limited, 5xx to vendor_error', () => {
    expect(mapSailPointError(response(400, { error: 'unsupported_grant_type' }), token).kind).toBe(
      'config',
    )
    expect(mapSailPointError(response(400, { error: 'invalid_scope' }), token).kind).toBe('config')
    expect(mapSailPointError(response(403, { error: 'access_denied' }), token).kind).toBe('auth')
    const limited = mapSailPointError(response(429, { message: 'slow down' }, {}, 2000), token)
    expect([limited.kind, limited.retryable, limited.retryAfterMs]).toEqual([
      'rate_limited',
      true,
      2000,
    ])
    expect(limited.message).toBe(
      "Fetching a SailPoint access token failed: SailPoint answered HTTP 429: slow down. SailPoint's token endpoint is rate limiting; SailPoint asked to wait 2 s.",
    )
    const down = mapSailPointError(response(503, {}), token)
    expect([down.kind, down.retryable]).toEqual(['vendor_error', false])
  })
})
