import { decodeJwt } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SCOPE_DEFAULT, SCOPE_TEMPLATES_CREATE } from '../src/sailpoint/index.js'
import { T0, WORK_ITEM_SEND, errorDto, startHarness, type Harness } from './sailpoint-fixtures.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h.sim.close()
})

const CREDENTIALS = {
  grant_type: 'client_credentials',
  client_id: 'admin-client',
  client_secret: 'admin-secret',
}

describe('POST /oauth/token', () => {
  it('issues a SailPoint-shaped token for a URL-encoded body', async () => {
    const res = await fetch(h.sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams(CREDENTIALS),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) as unknown,
      token_type: 'bearer',
      expires_in: 749,
      scope: 'sp:scopes:all',
      tenant_id: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ) as unknown,
      pod: 'sim01-loopback',
      org: 'acme',
      identity_id: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
    })
    const claims = decodeJwt(body.access_token as string)
    expect(claims.exp).toBe(T0 / 1000 + 749)
    expect(claims.iat).toBe(T0 / 1000)
    expect(claims.jti).toBe(body.jti)
    expect(claims.org).toBe('acme')
    expect(h.sim.tokensIssued).toBe(1)
    expect(h.sim.inspect().tokenGrants).toEqual([
      {
        clientId: 'admin-client',
        credentialSource: 'body',
        scopes: ['sp:scopes:all'],
        jti: body.jti,
        issuedAt: T0,
        expiresAt: T0 + 749_000,
      },
    ])
  })

  it('accepts credentials as multipart/form-data', async () => {
    const form = new FormData()
    for (const [k, v] of Object.entries(CREDENTIALS)) form.append(k, v)
    const res = await fetch(h.sim.tokenUrl, { method: 'POST', body: form })
    expect(res.status).toBe(200)
    expect(h.sim.inspect().tokenGrants[0]?.credentialSource).toBe('multipart')
  })

  it('accepts credentials in the query string, and never logs the secret', async () => {
    const res = await fetch(`${h.sim.tokenUrl}?${new URLSearchParams(CREDENTIALS).toString()}`, {
      method: 'POST',
    })
    expect(res.status).toBe(200)
    const inspection = h.sim.inspect()
    expect(inspection.tokenGrants[0]?.credentialSource).toBe('query')
    expect(inspection.requests[0]?.query).toBe(
      'grant_type=client_credentials&client_id=admin-client&client_secret=%5Bredacted%5D',
    )
    expect(JSON.stringify(inspection)).not.toContain('admin-secret')
  })

  it('accepts HTTP Basic client authentication', async () => {
    const res = await fetch(h.sim.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('admin-client:admin-secret').toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    })
    expect(res.status).toBe(200)
    expect(h.sim.inspect().tokenGrants[0]?.credentialSource).toBe('basic')
  })

  it('answers 401 invalid_client for a wrong secret, an unknown client or none', async () => {
    const wrong = await fetch(h.sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ ...CREDENTIALS, client_secret: 'nope' }),
    })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Bad client credentials.',
    })

    const unknown = await fetch(h.sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ ...CREDENTIALS, client_id: 'who' }),
    })
    expect(await unknown.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Bad client credentials.',
    })

    const none = await fetch(h.sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    })
    expect(none.status).toBe(401)
    expect(await none.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication is required.',
    })

    const basic = await fetch(h.sim.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('admin-client:bad').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    })
    expect(basic.status).toBe(401)
    expect(basic.headers.get('www-authenticate')).toBe('Basic realm="oauth"')
    expect(h.sim.tokensIssued).toBe(0)
  })

  it('answers 400 for a missing or unsupported grant type', async () => {
    const unsupported = await fetch(h.sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ ...CREDENTIALS, grant_type: 'password' }),
    })
    expect(unsupported.status).toBe(400)
    expect(await unsupported.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'Unsupported grant type: password',
    })
    const missing = await fetch(h.sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ client_id: 'admin-client', client_secret: 'admin-secret' }),
    })
    expect(missing.status).toBe(400)
    expect(await missing.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing grant_type parameter.',
    })
  })

  it('narrows to a requested scope the client holds, refuses one it does not', async () => {
    const ok = await fetch(h.sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ ...CREDENTIALS, scope: 'sp:scopes:all' }),
    })
    expect(((await ok.json()) as { scope: string }).scope).toBe('sp:scopes:all')
    const refused = await fetch(h.sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ ...CREDENTIALS, scope: 'sp:scopes:all root' }),
    })
    expect(refused.status).toBe(400)
    expect(await refused.json()).toEqual({
      error: 'invalid_scope',
      error_description: 'Scope not granted to this client: root',
    })
  })

  it('answers 405 to GET', async () => {
    const res = await fetch(h.sim.tokenUrl)
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
  })
})

describe('bearer authentication', () => {
  it('answers 401 {"error":"JWT is required"} without a bearer token', async () => {
    const res = await h.api('/beta/notification-templates', { token: null })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'JWT is required' })
    const basic = await h.api('/beta/notification-templates', {
      token: null,
      headers: { authorization: 'Basic YTpi' },
    })
    expect(await basic.json()).toEqual({ error: 'JWT is required' })
  })

  it('honours a token until its lifetime ends on the injected clock, then says it expired', async () => {
    const token = await h.token()
    h.clock.now = T0 + 749_000 - 1
    expect((await h.api('/beta/notification-templates', { token })).status).toBe(200)
    h.clock.now = T0 + 749_000
    const res = await h.api('/beta/notification-templates', { token })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'JWT validation failed: JWT is expired' })
  })

  it('uses tokenLifetimeSeconds', async () => {
    await h.sim.close()
    h = await startHarness({ tokenLifetimeSeconds: 5 })
    const res = await fetch(h.sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams(CREDENTIALS),
    })
    expect(((await res.json()) as { expires_in: number }).expires_in).toBe(5)
    const token = await h.token()
    h.clock.now = T0 + 5_000
    expect((await h.api('/notification-templates/v1', { token })).status).toBe(401)
  })

  it('refuses unknown, tampered and revoked tokens with validation-failed texts', async () => {
    const garbage = await h.api('/beta/notification-templates', { token: 'not-a-jwt' })
    expect(await garbage.json()).toEqual({ error: 'JWT validation failed: JWT is malformed' })

    const token = await h.token()
    const [header, payload] = token.split('.')
    const forged = `${header ?? ''}.${payload ?? ''}.${'A'.repeat(43)}`
    const tampered = await h.api('/beta/notification-templates', { token: forged })
    expect(tampered.status).toBe(401)
    expect(await tampered.json()).toEqual({
      error: 'JWT validation failed: JWT signature is invalid',
    })

    h.sim.revokeTokens()
    const revoked = await h.api('/beta/notification-templates', { token })
    expect(revoked.status).toBe(401)
    expect(await revoked.json()).toEqual({ error: 'JWT validation failed: JWT has been revoked' })
    expect((await h.api('/beta/notification-templates', { token: await h.token() })).status).toBe(
      200,
    )
  })
})

describe('POST send-test-notification', () => {
  it('answers 204 with no body on beta and puts the rendered notification in the outbox', async () => {
    const res = await h.api('/beta/send-test-notification', { body: WORK_ITEM_SEND })
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    expect(res.headers.get('x-deprecated')).toBeNull()
    expect(h.sim.outbox).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
        version: 'beta',
        key: 'cloud_manual_work_item_summary',
        medium: 'EMAIL',
        locale: 'en',
        from: 'no-reply@notifications.sim.invalid',
        subject: 'You have 4 tasks waiting in Identity Security Cloud',
        body: '<p>Hello admin-client (simulated identity),</p><p>4 manual tasks are waiting for you.</p>',
        unresolvedVariables: [],
        recipients: {
          to: [expect.stringMatching(/^[0-9a-f]{12}@acme\.sim\.invalid$/) as unknown],
          cc: [],
          bcc: [],
        },
        context: { numberOfPendingTasks: '4', taskTasks: 'tasks' },
        clientId: 'admin-client',
        identityId: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
        sentAt: T0,
      },
    ])
  })

  it('takes locale and recipients on v1', async () => {
    const res = await h.api('/send-test-notification/v1', {
      body: {
        ...WORK_ITEM_SEND,
        locale: 'fr',
        recipientEmailList: ['ops@example.com'],
        carbonCopy: ['cc@example.com'],
        blindCarbonCopy: ['bcc@example.com'],
      },
    })
    expect(res.status).toBe(204)
    const [sent] = h.sim.outbox
    expect(sent?.version).toBe('v1')
    expect(sent?.locale).toBe('fr')
    expect(sent?.subject).toBe('Vous avez 4 tâche(s) en attente dans Identity Security Cloud')
    expect(sent?.recipients).toEqual({
      to: ['ops@example.com'],
      cc: ['cc@example.com'],
      bcc: ['bcc@example.com'],
    })
  })

  it.each(['v2024', 'v2025', 'v2026'])(
    'serves the per-year path /%s with v1 behaviour',
    async (year) => {
      const res = await h.api(`/${year}/send-test-notification`, {
        body: { ...WORK_ITEM_SEND, locale: 'fr' },
      })
      expect(res.status).toBe(204)
      expect(h.sim.outbox[0]?.version).toBe(year)
      expect(h.sim.outbox[0]?.locale).toBe('fr')
    },
  )

  it('takes locale and the address lists on beta too (SendTestNotificationRequestDto, 2026-03-20)', async () => {
    const res = await h.api('/beta/send-test-notification', {
      body: {
        ...WORK_ITEM_SEND,
        locale: 'fr',
        recipientEmailList: ['x@example.com'],
        carbonCopy: ['cc@example.com'],
        blindCarbonCopy: ['bcc@example.com'],
      },
    })
    expect(res.status).toBe(204)
    expect(h.sim.outbox[0]?.locale).toBe('fr')
    expect(h.sim.outbox[0]?.recipients).toEqual({
      to: ['x@example.com'],
      cc: ['cc@example.com'],
      bcc: ['bcc@example.com'],
    })
    const bad = await h.api('/beta/send-test-notification', {
      body: { ...WORK_ITEM_SEND, carbonCopy: ['not an address'] },
    })
    expect(bad.status).toBe(400)
    expect(h.sim.outbox).toHaveLength(1)
  })

  it('renders dotted references and keeps unfilled ones as written', async () => {
    await h.api('/beta/send-test-notification', {
      body: {
        key: 'approval_request_notification',
        medium: 'SLACK',
        context: { approvalName: 'Sales app', requester: { name: 'Ada' } },
      },
    })
    await h.api('/beta/send-test-notification', {
      body: {
        key: 'approval_request_notification',
        medium: 'TEAMS',
        context: { approvalName: 'Sales app' },
      },
    })
    expect(h.sim.outbox.map((e) => [e.body, e.unresolvedVariables])).toEqual([
      ['Ada needs your approval for Sales app.', []],
      ['${requester.name} needs your approval for Sales app.', ['requester.name']],
    ])
  })

  const cases: [string, unknown, number, ReturnType<typeof errorDto>][] = [
    [
      'a body that is not JSON',
      '{"key":',
      400,
      errorDto('400.1 Bad Request Content', 'The request body is not valid JSON.'),
    ],
    [
      'fields of the wrong type',
      { key: 'cloud_manual_work_item_summary', medium: 'EMAIL', context: 'x' },
      400,
      errorDto(
        '400.1 Bad Request Content',
        'The request body does not match SendTestNotificationRequestDto.',
        ['context: Invalid input: expected record, received string'],
      ),
    ],
    [
      'a missing key',
      { medium: 'EMAIL' },
      400,
      errorDto('400.1 Bad Request Content', 'Required field missing: key.'),
    ],
    [
      'an empty body object',
      {},
      400,
      errorDto('400.1 Bad Request Content', 'Required field missing: key, medium.'),
    ],
    [
      'an unknown medium',
      { ...WORK_ITEM_SEND, medium: 'FAX' },
      400,
      errorDto(
        '400.1.1 Illegal value',
        'Illegal value "FAX" for field medium; expected one of EMAIL, SLACK, TEAMS.',
      ),
    ],
    [
      'a template key that does not exist',
      { ...WORK_ITEM_SEND, key: 'no_such_template' },
      404,
      errorDto('404 Not found', 'No notification template has the key "no_such_template".'),
    ],
    [
      'a medium the template lacks',
      {
        key: 'certification_campaign_reminder',
        medium: 'SLACK',
        context: { campaignName: 'Q3', deadline: 'soon' },
      },
      400,
      errorDto(
        '400.1.1 Illegal value',
        'Template "certification_campaign_reminder" has no SLACK version; it is available for EMAIL.',
      ),
    ],
    [
      'missing required context variables',
      { key: 'access_request_reviewer', medium: 'EMAIL', context: { requesterName: 'Ada' } },
      400,
      errorDto(
        '400.1 Bad Request Content',
        'The context lacks variables template "access_request_reviewer" requires.',
        ['context.requestedObjectName is required', 'context.requestedForIdentityName is required'],
      ),
    ],
  ]

  it.each(cases)('answers an ErrorResponseDto for %s', async (_name, body, status, expected) => {
    const res = await h.api('/beta/send-test-notification', { body })
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toBe('application/json;charset=utf-8')
    expect(await res.json()).toEqual(expected)
    expect(h.sim.outbox).toEqual([])
  })

  it('answers 400.1.1 for a locale the template lacks and for bad addresses (v1)', async () => {
    const locale = await h.api('/send-test-notification/v1', {
      body: { ...WORK_ITEM_SEND, medium: 'SLACK', locale: 'fr' },
    })
    expect(locale.status).toBe(400)
    expect(await locale.json()).toEqual(
      errorDto(
        '400.1.1 Illegal value',
        'Template "cloud_manual_work_item_summary" has no SLACK version in locale "fr"; available: en.',
      ),
    )
    const emails = await h.api('/send-test-notification/v1', {
      body: {
        ...WORK_ITEM_SEND,
        recipientEmailList: ['ok@example.com', 'not-an-email'],
        carbonCopy: ['@x'],
      },
    })
    expect(emails.status).toBe(400)
    expect(await emails.json()).toEqual(
      errorDto('400.1.1 Illegal value', 'Some recipient addresses are not valid email addresses.', [
        '"not-an-email" is not an email address',
        '"@x" is not an email address',
      ]),
    )
  })

  it('answers 415 for a body that is not JSON by content type', async () => {
    const res = await h.api('/beta/send-test-notification', {
      body: 'key=x',
      headers: { 'content-type': 'text/plain' },
    })
    expect(res.status).toBe(415)
    expect(await res.json()).toEqual(
      errorDto(
        '415 Unsupported Media Type',
        'Content type text/plain is not supported; send application/json.',
      ),
    )
  })

  it('accepts a template added through options', async () => {
    await h.sim.close()
    h = await startHarness({
      templates: [
        {
          key: 'custom_ping',
          name: 'Ping',
          description: 'A custom template.',
          variables: [{ key: 'who', type: 'string', description: 'Who', required: true }],
          variants: [{ medium: 'TEAMS', locale: 'en', subject: 'Ping', body: 'Hello ${who}' }],
        },
      ],
    })
    const res = await h.api('/beta/send-test-notification', {
      body: { key: 'custom_ping', medium: 'TEAMS', context: { who: 'team' } },
    })
    expect(res.status).toBe(204)
    expect(h.sim.outbox[0]?.body).toBe('Hello team')
  })
})

describe('scopes', () => {
  beforeEach(async () => {
    await h.sim.close()
    h = await startHarness({
      clients: [
        { clientId: 'user-client', clientSecret: 'user-secret', scopes: [SCOPE_DEFAULT] },
        {
          clientId: 'notif-client',
          clientSecret: 'notif-secret',
          scopes: [SCOPE_TEMPLATES_CREATE],
        },
      ],
    })
  })

  it('answers 403 ErrorResponseDto to a token without an admin scope', async () => {
    const token = await h.token('user-client', 'user-secret')
    const res = await h.api('/beta/send-test-notification', { body: WORK_ITEM_SEND, token })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual(
      errorDto(
        '403 Forbidden',
        "The token's scopes (sp:scopes:default) do not allow this call; it needs one of: sp:scopes:all.",
      ),
    )
    expect((await h.api('/notification-templates/v1', { token })).status).toBe(403)
  })

  it('opens each template list to its own read scope', async () => {
    await h.sim.close()
    h = await startHarness({
      clients: [
        {
          clientId: 'custom-reader',
          clientSecret: 's1',
          scopes: ['idn:notification-templates:read'],
        },
        {
          clientId: 'default-reader',
          clientSecret: 's2',
          scopes: ['idn:notification-template-defaults:read'],
        },
      ],
    })
    const custom = await h.token('custom-reader', 's1')
    const defaults = await h.token('default-reader', 's2')
    const status = async (path: string, token: string) => (await h.api(path, { token })).status
    expect(await status('/beta/notification-templates', custom)).toBe(200)
    expect(await status('/beta/notification-template-defaults', custom)).toBe(403)
    expect(await status('/notification-template-defaults/v1', defaults)).toBe(200)
    expect(await status('/notification-templates/v1', defaults)).toBe(403)
    const refused = await h.api('/notification-templates/v1', { token: defaults })
    expect(((await refused.json()) as { messages: { text: string }[] }).messages[0]?.text).toBe(
      "The token's scopes (idn:notification-template-defaults:read) do not allow this call; it needs one of: sp:scopes:all, idn:notification-templates:read, idn:notification-templates:create.",
    )
  })

  it('lets the fine-grained create scope send on v1 but not on beta', async () => {
    const token = await h.token('notif-client', 'notif-secret')
    expect(
      (await h.api('/send-test-notification/v1', { body: WORK_ITEM_SEND, token })).status,
    ).toBe(204)
    expect(
      (await h.api('/beta/send-test-notification', { body: WORK_ITEM_SEND, token })).status,
    ).toBe(403)
    expect((await h.api('/beta/notification-templates', { token })).status).toBe(200)
  })
})

describe('routing', () => {
  it('marks a retired version with X-Deprecated: true', async () => {
    await h.sim.close()
    h = await startHarness({ deprecated: ['beta'] })
    const beta = await h.api('/beta/send-test-notification', { body: WORK_ITEM_SEND })
    expect(beta.status).toBe(204)
    expect(beta.headers.get('x-deprecated')).toBe('true')
    const v1 = await h.api('/send-test-notification/v1', { body: WORK_ITEM_SEND })
    expect(v1.headers.get('x-deprecated')).toBeNull()
  })

  it('answers 404 ErrorResponseDto for an unknown path and 405 for a wrong method', async () => {
    const unknown = await h.api('/v3/nothing')
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual(
      errorDto('404 Not found', 'Nothing is served at GET /v3/nothing.'),
    )
    const method = await h.api('/beta/send-test-notification')
    expect(method.status).toBe(405)
    expect(method.headers.get('allow')).toBe('POST')
    expect(await method.json()).toEqual(
      errorDto('405 Method Not Allowed', 'GET is not supported here; use POST.'),
    )
  })

  it('rejects unknown options', async () => {
    await expect(
      // @ts-expect-error: an option that does not exist
      startHarness({ colour: 'blue' }),
    ).rejects.toThrow('invalid SailPoint simulator options')
    await expect(startHarness({ tenant: 'evil.com#' })).rejects.toThrow(
      'tenant must be a DNS label',
    )
  })

  it('generates credentials when none are given', async () => {
    const { startSailPointSimulator } = await import('../src/sailpoint/index.js')
    const sim = await startSailPointSimulator()
    try {
      expect(sim.credentials.clientId).toMatch(/^sim-[0-9a-f]{16}$/)
      expect(sim.credentials.clientSecret).toMatch(/^[0-9a-f]{64}$/)
      const res = await fetch(sim.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: sim.credentials.clientId,
          client_secret: sim.credentials.clientSecret,
        }),
      })
      expect(res.status).toBe(200)
    } finally {
      await sim.close()
    }
  })
})
