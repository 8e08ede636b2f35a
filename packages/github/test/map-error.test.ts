import { describe, expect, it } from 'vitest'
import { mapGitHubError, type GitHubErrorResponse } from '../src/map-error.js'

const NOW = Date.UTC(2026, 4, 1, 12, 0, 0)
const json = (body: unknown): string => JSON.stringify(body)

function map(overrides: Partial<GitHubErrorResponse>) {
  return mapGitHubError({
    status: 500,
    headers: {},
    body: '',
    operation: 'github.ping',
    now: NOW,
    targetType: 'repository',
    authType: 'token',
    ...overrides,
  })
}

describe('mapGitHubError', () => {
  it('401: auth, with advice for tokens and for Apps', () => {
    const token = map({ status: 401, body: json({ message: 'Bad credentials' }) })
    expect(token).toMatchObject({
      kind: 'auth',
      httpStatus: 401,
      retryable: false,
      vendorMessage: 'Bad credentials',
    })
    expect(token.message).toContain('expired or been revoked')
    const app = map({
      status: 401,
      authType: 'app',
      operation: 'github.listDeliveries',
      targetType: 'app',
    })
    expect(app.message).toContain("this machine's clock (App JWTs are valid for 10 minutes)")
  })

  it('404: not found or not visible, naming the permission for each target and operation', () => {
    const ping = map({ status: 404, body: json({ message: 'Not Found', documentation_url: 'x' }) })
    expect(ping.kind).toBe('not_found')
    expect(ping.message).toContain('not found, or your token cannot see it')
    expect(ping.message).toContain('the repository permission "Webhooks" (read)')
    expect(ping.message).toContain('read:repo_hook, write:repo_hook, admin:repo_hook or repo')
    const redeliver = map({ status: 404, operation: 'github.redeliver' })
    expect(redeliver.message).toContain('"Webhooks" (write)')
    expect(redeliver.message).not.toContain('read:repo_hook')
    const org = map({ status: 404, targetType: 'organization', operation: 'github.listDeliveries' })
    expect(org.message).toContain('admin:org_hook')
    expect(org.message).toContain('organization owner')
    const app = map({ status: 404, targetType: 'app', operation: 'github.getDelivery' })
    expect(app.message).toContain("the GitHub App's JWT")
  })

  it('403 "Resource not accessible": forbidden, naming what X-Accepted-GitHub-Permissions asks for', () => {
    const error = map({
      status: 403,
      headers: {
        'x-accepted-github-permissions':
          'repository_hooks=write; administration=write,contents=read',
      },
      body: json({ message: 'Resource not accessible by personal access token' }),
      operation: 'github.redeliver',
    })
    expect(error).toMatchObject({ kind: 'forbidden', retryable: false })
    expect(error.message).toContain(
      'GitHub asks for repository_hooks=write, or administration=write and contents=read.',
    )
    const without = map({
      status: 403,
      body: json({ message: 'Resource not accessible by integration' }),
    })
    expect(without.message).toContain('"Webhooks" (read)')
  })

  it('400 for an unsupported API version: a config error', () => {
    const error = map({
      status: 400,
      body: json({
        message:
          'The version you specified in the "X-GitHub-API-Version" request header, "2026-03-10", is not a supported version.',
      }),
    })
    expect(error.kind).toBe('config')
    expect(error.message).toContain('set apiVersion to 2022-11-28')
    expect(map({ status: 400, body: json({ message: 'Problems parsing JSON' }) }).kind).toBe(
      'invalid_input',
    )
  })

  it('422: invalid_input with the first error code', () => {
    const error = map({
      status: 422,
      body: json({
        message: 'Validation Failed',
        errors: [{ resource: 'Hook', field: 'delivery', code: 'invalid' }],
      }),
    })
    expect(error).toMatchObject({ kind: 'invalid_input', vendorCode: 'invalid' })
    expect(error.message).toContain('Errors: Hook delivery invalid.')
  })

  it('primary rate limit: until x-ratelimit-reset plus one second', () => {
    const reset = String(NOW / 1000 + 120)
    for (const status of [403, 429]) {
      const error = map({
        status,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
        body: json({ message: 'API rate limit exceeded for user ID 1.' }),
      })
      expect(error).toMatchObject({
        kind: 'rate_limited',
        retryable: true,
        retryAfterMs: 121_000,
        vendorCode: 'primary_rate_limit',
      })
      expect(error.message).toContain('wait 121 s')
    }
    const past = map({
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 - 5) },
    })
    expect(past.retryAfterMs).toBe(1000)
  })

  it('secondary rate limit: retry-after, else the reset when nothing remains, else at least a minute', () => {
    const message = json({
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    })
    expect(map({ status: 403, body: message, headers: { 'retry-after': '30' } })).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 30_000,
      vendorCode: 'secondary_rate_limit',
      retryable: true,
    })
    expect(
      map({
        status: 403,
        body: message,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 10) },
      }).retryAfterMs,
    ).toBe(11_000)
    expect(map({ status: 429, body: message }).retryAfterMs).toBe(60_000)
    expect(map({ status: 429, body: 'Too Many Requests' })).toMatchObject({
      vendorCode: 'secondary_rate_limit',
      retryAfterMs: 60_000,
    })
    expect(
      map({
        status: 403,
        headers: { 'retry-after': '5' },
        body: json({ message: 'abuse detection' }),
      }).retryAfterMs,
    ).toBe(5_000)
  })

  it('a plain 403 is no rate limit', () => {
    const error = map({
      status: 403,
      headers: { 'x-ratelimit-remaining': '4999' },
      body: json({ message: 'Must have admin rights to Repository.' }),
    })
    expect(error).toMatchObject({ kind: 'forbidden', retryable: false, retryAfterMs: undefined })
  })

  it('5xx: vendor_error, not retryable by itself (the transport decides by call kind), with an HTML excerpt', () => {
    const error = map({ status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' })
    expect(error).toMatchObject({
      kind: 'vendor_error',
      retryable: false,
      vendorMessage: '502 Bad Gateway',
    })
  })

  it('keeps the request id and drops a malformed one', () => {
    expect(
      map({ status: 500, headers: { 'x-github-request-id': 'CDE6:2B0F:1A2B3C:1B2C3D:65A1B2C3' } })
        .requestId,
    ).toBe('CDE6:2B0F:1A2B3C:1B2C3D:65A1B2C3')
    expect(
      map({ status: 500, headers: { 'x-github-request-id': 'a b\nc' } }).requestId,
    ).toBeUndefined()
  })

  it('bounds and escapes vendor text: no terminal escapes, no line injection, no megabyte messages', () => {
    const hostile = `\u001b[31mred\u001b[0m\r\nInjected: yes\u202e${'x'.repeat(1_000_000)}`
    const error = map({ status: 404, body: json({ message: hostile }) })
    for (const text of [error.message, error.vendorMessage ?? '']) {
      expect(/[\p{Cc}\p{Cf}]/u.test(text)).toBe(false)
      expect(text.length).toBeLessThan(2000)
    }
    expect(error.vendorMessage).toContain('\\u{1b}[31mred')
  })
})
