import { createSailPointTester, type SailPointTester } from '@notiprobe/sailpoint'
import {
  startSailPointSimulator,
  type SailPointSimulator,
  type SailPointSimulatorOptions,
} from '@notiprobe/simulator'
import type { RunEntry } from '@notiprobe/core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  WORK_ITEM,
  extraTemplates,
  manualClock,
  rejectionOf,
  requestsTo,
  simOptions,
} from './sailpoint-helpers.js'
import type { FakeClock } from '@notiprobe/core/testing'

let sim: SailPointSimulator
let tester: SailPointTester
let time: FakeClock

async function setUp(
  simulator: Omit<SailPointSimulatorOptions, 'now'> = {},
  options: Parameters<typeof simOptions>[1] = {},
): Promise<void> {
  time = manualClock()
  sim = await startSailPointSimulator({ ...simulator, now: time.now, random: () => 0.25 })
  tester = createSailPointTester(simOptions(sim, { clock: time, random: () => 0.5, ...options }))
}

afterEach(async () => {
  tester.close()
  await sim.close()
})

const TRACKING_ID = /^[0-9a-f]{32}$/

describe('send and check', () => {
  it('sends on beta: 204 becomes an accepted ticket, and the simulator sends the notification', async () => {
    await setUp()
    const ticket = await tester.send(WORK_ITEM)
    expect(ticket).toEqual({
      vendor: 'sailpoint',
      id: expect.stringMatching(/^sailpoint-[0-9a-f-]{36}$/) as string,
      requestedAt: time.now(),
      details: {
        key: 'cloud_manual_work_item_summary',
        medium: 'EMAIL',
        apiVersion: 'beta',
        endpoint: 'POST /beta/send-test-notification',
        httpStatus: 204,
        deprecated: false,
        preflight: false,
        warnings: [],
      },
    })
    expect(sim.outbox).toHaveLength(1)
    expect(sim.outbox[0]).toMatchObject({
      version: 'beta',
      key: 'cloud_manual_work_item_summary',
      medium: 'EMAIL',
      locale: 'en',
      subject: 'You have 4 tasks waiting in Identity Security Cloud',
      context: WORK_ITEM.context,
      clientId: sim.credentials.clientId,
      unresolvedVariables: [],
    })
    expect(
      requestsTo(sim, 'sendTestNotification').map((r) => [r.method, r.path, r.status]),
    ).toEqual([['POST', '/beta/send-test-notification', 204]])

    const outcome = await tester.check(ticket)
    expect(outcome).toEqual({
      vendor: 'sailpoint',
      ticket,
      state: 'accepted',
      summary: `SailPoint accepted the test notification 'cloud_manual_work_item_summary' (EMAIL) at ${new Date(time.now()).toISOString()} (HTTP 204 from POST /beta/send-test-notification). SailPoint offers no delivery status or history, so notiprobe cannot confirm that it arrived: look for it in the recipients’ mailboxes.`,
      attempts: [],
      warnings: [],
      raw: { httpStatus: 204, endpoint: 'POST /beta/send-test-notification', deprecated: false },
      checkedAt: time.now(),
    })
    // check() asks nothing of SailPoint: there is nothing to ask.
    expect(sim.inspect().requests).toHaveLength(2)
  })

  it.each(['beta', 'v1'] as const)(
    'sends on %s with the locale and the address lists',
    async (apiVersion) => {
      await setUp({}, { apiVersion })
      const ticket = await tester.send({
        ...WORK_ITEM,
        locale: 'fr',
        recipients: ['ops@example.com'],
        carbonCopy: ['lead@example.com'],
        blindCarbonCopy: ['audit@example.com', 'archive@example.com'],
      })
      const path =
        apiVersion === 'beta' ? '/beta/send-test-notification' : '/send-test-notification/v1'
      expect(ticket.details).toMatchObject({
        apiVersion,
        endpoint: `POST ${path}`,
        locale: 'fr',
        recipientCount: 4,
      })
      // The body as SailPoint's SendTestNotificationRequestDto names the fields, on both versions.
      expect(requestsTo(sim, 'sendTestNotification').map((req) => req.path)).toEqual([path])
      expect(sim.outbox[0]).toMatchObject({
        version: apiVersion,
        locale: 'fr',
        subject: 'Vous avez 4 tâche(s) en attente dans Identity Security Cloud',
        recipients: {
          to: ['ops@example.com'],
          cc: ['lead@example.com'],
          bcc: ['audit@example.com', 'archive@example.com'],
        },
      })
      expect((await tester.check(ticket)).summary).toContain(`(HTTP 204 from POST ${path})`)
    },
  )

  it('refuses bad input before any request', async () => {
    await setUp()
    const error = await rejectionOf(tester.send({ key: ' ', medium: 'FAX' } as never))
    expect(error.kind).toBe('invalid_input')
    expect(error.message).toBe(
      "Invalid SailPoint send options: key: must be a template key: letters, digits, '_', '.' or '-' (e.g. cloud_manual_work_item_summary); medium: must be one of EMAIL, SLACK, TEAMS (got \"FAX\")",
    )
    await rejectionOf(tester.send({ ...WORK_ITEM, locale: 'fr_FR' }))
    await rejectionOf(tester.check({ vendor: 'apple', id: 'x', requestedAt: 0 } as never))
    expect(sim.inspect().requests).toEqual([])
    expect(sim.tokensIssued).toBe(0)
  })

  it('refuses a ticket from elsewhere when checking', async () => {
    await setUp()
    const error = await rejectionOf(
      tester.check({ vendor: 'apple', id: 'tok', requestedAt: 1 } as never),
    )
    expect(error.message).toBe(
      "Invalid SailPoint ticket: vendor: must be 'sailpoint' (got \"apple\"): check this ticket with its own vendor's tester; details: must be the details send() returned",
    )
  })

  it('can still be used after close(), which only drops idle connections', async () => {
    await setUp()
    await tester.send(WORK_ITEM)
    tester.close()
    await tester.send(WORK_ITEM)
    expect(sim.outbox).toHaveLength(2)
    expect(sim.tokensIssued).toBe(1)
  })

  it('rejects (never throws) on a bad ticket or bad call options in check()', async () => {
    await setUp()
    const ticket = await tester.send(WORK_ITEM)
    const promise = tester.check(ticket, { timeoutMs: -1, retries: 2 } as never)
    const error = await rejectionOf(promise)
    expect(error.message).toBe(
      "Invalid check() options: timeoutMs: expected a whole number of milliseconds from 1 to 2147483647 (about 24.8 days); unknown option 'retries'; allowed: signal, timeoutMs",
    )
    const later = await rejectionOf(tester.check({ ...ticket, requestedAt: 1e20 }))
    expect(later.message).toBe('Invalid SailPoint ticket: requestedAt: must be epoch milliseconds')
  })

  it("rateLimits: 'off' sends without client-side waits; 'vendor' (the default) spaces them", async () => {
    await setUp({ rateLimits: 'off' }, { rateLimits: 'off' })
    await Promise.all(Array.from({ length: 60 }, () => tester.send(WORK_ITEM)))
    expect(time.sleeps).toEqual([])
    tester.close()
    tester = createSailPointTester(simOptions(sim, { clock: time }))
    await Promise.all(Array.from({ length: 60 }, () => tester.send(WORK_ITEM)))
    // 50 at once, then 5 a second.
    expect(time.sleeps).toHaveLength(10)
    expect(sim.outbox).toHaveLength(120)
  })

  it('turns X-Deprecated: true into a warning on the ticket and the outcome', async () => {
    await setUp({ deprecated: ['beta'] })
    const ticket = await tester.send(WORK_ITEM)
    const warning =
      "SailPoint marked POST /beta/send-test-notification as deprecated (X-Deprecated: true). Move to apiVersion 'v1' (POST /send-test-notification/v1) before SailPoint retires it."
    expect(ticket.details.deprecated).toBe(true)
    expect(ticket.details.warnings).toEqual([warning])
    const outcome = await tester.check(ticket)
    expect(outcome.state).toBe('accepted')
    expect(outcome.warnings).toEqual([warning])
    // The same tenant's v1 path is not deprecated.
    const v1 = createSailPointTester(simOptions(sim, { apiVersion: 'v1' }))
    expect((await v1.send(WORK_ITEM)).details.warnings).toEqual([])
    v1.close()
  })
})

/** What the run customised: one changed variant of a default, and a locale the defaults lack. */
const CUSTOMIZED: SailPointSimulatorOptions['customizedTemplates'] = [
  {
    key: 'cloud_manual_work_item_summary',
    variants: [
      { medium: 'SLACK', locale: 'en', subject: 'ACME tasks', body: 'ACME: $numberOfPendingTasks' },
    ],
  },
  {
    key: 'access_request_decision',
    variants: [{ medium: 'EMAIL', locale: 'es', subject: 'Decisión', body: 'Decisión' }],
  },
]

const pick = (
  list: readonly { source: string; key: string; medium: string; locale: string | undefined }[],
) => list.map((t) => `${t.source}:${t.key}/${t.medium}/${t.locale ?? ''}`)

describe('templates: the customised list, then the defaults', () => {
  it('on a tenant that customised nothing, lists the defaults, each saying so', async () => {
    await setUp()
    const templates = await tester.listTemplates()
    expect(templates).toHaveLength(14)
    expect(templates[0]).toEqual({
      source: 'default',
      key: 'access_request_decision',
      medium: 'EMAIL',
      locale: 'de',
      name: expect.any(String) as string,
      description: expect.any(String) as string,
      subject: expect.any(String) as string,
      // TemplateDtoDefault has no id, created or modified.
      id: undefined,
      created: undefined,
      modified: undefined,
    })
    const requests = sim.inspect().requests.filter((r) => r.endpoint !== 'token')
    expect(requests.map((r) => [r.endpoint, r.path, r.query])).toEqual([
      ['listTemplates', '/beta/notification-templates', 'limit=250&offset=0'],
      ['templateDefaults', '/beta/notification-template-defaults', 'limit=250&offset=0'],
    ])
  })

  it('lists the customised templates first, with their ids, then every default', async () => {
    await setUp({ customizedTemplates: CUSTOMIZED }, { apiVersion: 'v1' })
    const templates = await tester.listTemplates({ key: 'cloud_manual_work_item_summary' })
    expect(pick(templates)).toEqual([
      'customized:cloud_manual_work_item_summary/SLACK/en',
      'default:cloud_manual_work_item_summary/EMAIL/en',
      'default:cloud_manual_work_item_summary/EMAIL/fr',
      'default:cloud_manual_work_item_summary/SLACK/en',
      'default:cloud_manual_work_item_summary/TEAMS/en',
    ])
    expect(templates[0]?.id).toMatch(/^[0-9a-f]{8}-/)
    expect(templates[0]?.subject).toBe('ACME tasks')
    expect(requestsTo(sim, 'listTemplates').map((r) => r.path)).toEqual([
      '/notification-templates/v1',
    ])
    expect(requestsTo(sim, 'templateDefaults').map((r) => r.path)).toEqual([
      '/notification-template-defaults/v1',
    ])
  })

  it('filters by key, keys, medium and locale, on the server, on both lists', async () => {
    await setUp({ customizedTemplates: CUSTOMIZED }, { apiVersion: 'v1' })
    expect(
      pick(
        await tester.listTemplates({
          key: ['cloud_manual_work_item_summary', 'access_request_decision'],
          medium: 'EMAIL',
          locale: 'es',
        }),
      ),
    ).toEqual(['customized:access_request_decision/EMAIL/es'])
    const filters =
      'key in ("cloud_manual_work_item_summary","access_request_decision") and medium eq "EMAIL" and locale eq "es"'
    for (const endpoint of ['listTemplates', 'templateDefaults']) {
      const queries = requestsTo(sim, endpoint).map((r) => new URLSearchParams(r.query))
      expect(queries.map((q) => [q.get('limit'), q.get('offset'), q.get('filters')])).toEqual([
        ['250', '0', filters],
      ])
    }
  })

  it('reads every page of each list, 250 at a time', async () => {
    await setUp({ templates: extraTemplates(600) })
    const templates = await tester.listTemplates()
    expect(templates).toHaveLength(614)
    expect(new Set(templates.map((t) => `${t.key}/${t.medium}/${t.locale ?? ''}`)).size).toBe(614)
    expect(requestsTo(sim, 'listTemplates').map((r) => r.query)).toEqual(['limit=250&offset=0'])
    expect(requestsTo(sim, 'templateDefaults').map((r) => r.query)).toEqual([
      'limit=250&offset=0',
      'limit=250&offset=250',
      'limit=250&offset=500',
    ])
  })

  it('iterates lazily: a page is fetched only when needed', async () => {
    await setUp({ templates: extraTemplates(600) })
    let seen = 0
    for await (const template of tester.iterateTemplates({ medium: 'EMAIL' })) {
      expect(template.medium).toBe('EMAIL')
      if (++seen === 260) break
    }
    expect(requestsTo(sim, 'listTemplates')).toHaveLength(1)
    expect(requestsTo(sim, 'templateDefaults')).toHaveLength(2)
  })

  it('pre-flight finds a template the tenant never customised among the defaults, and sends it', async () => {
    await setUp()
    const ticket = await tester.send({ ...WORK_ITEM, medium: 'SLACK', preflight: true })
    expect(ticket.details.preflight).toBe(true)
    expect(sim.inspect().requests.map((r) => r.endpoint)).toEqual([
      'token',
      'listTemplates',
      'templateDefaults',
      'sendTestNotification',
    ])
    for (const endpoint of ['listTemplates', 'templateDefaults']) {
      expect(new URLSearchParams(requestsTo(sim, endpoint)[0]?.query).get('filters')).toBe(
        'key eq "cloud_manual_work_item_summary" and medium eq "SLACK"',
      )
    }
    await expect(
      tester.checkTemplate('cloud_manual_work_item_summary', 'EMAIL'),
    ).resolves.toMatchObject({
      key: 'cloud_manual_work_item_summary',
      medium: 'EMAIL',
      source: 'default',
      locales: ['en', 'fr'],
    })
  })

  it('pre-flight stops at the customised list when the template is there', async () => {
    await setUp({ customizedTemplates: CUSTOMIZED })
    const check = await tester.checkTemplate('access_request_decision', 'EMAIL')
    expect([check.source, check.locales]).toEqual(['customized', ['es']])
    expect(requestsTo(sim, 'templateDefaults')).toEqual([])
    await tester.send({ ...WORK_ITEM, medium: 'SLACK', preflight: true })
    expect(sim.outbox[0]?.subject).toBe('ACME tasks')
  })

  it('refuses a missing medium or key with what exists in either list, and sends nothing', async () => {
    await setUp({ customizedTemplates: CUSTOMIZED })
    const medium = await rejectionOf(
      tester.send({
        ...WORK_ITEM,
        key: 'certification_campaign_reminder',
        medium: 'TEAMS',
        preflight: true,
      }),
    )
    expect(medium.kind).toBe('invalid_input')
    expect(medium.operation).toBe('sailpoint.sendTestNotification')
    expect(medium.message).toBe(
      "SailPoint has no TEAMS version of the notification template 'certification_campaign_reminder' in this tenant; it exists for EMAIL. Nothing was sent.",
    )
    const key = await rejectionOf(tester.checkTemplate('cloud_manual_work_itm_summary', 'EMAIL'))
    expect(key.operation).toBe('sailpoint.checkTemplate')
    expect(key.message).toBe(
      "SailPoint has no notification template 'cloud_manual_work_itm_summary' in this tenant. Nearest of the 5 keys that exist: cloud_manual_work_item_summary, access_request_reviewer, access_request_decision, certification_campaign_reminder, approval_request_notification. listTemplates() lists them all.",
    )
    expect(requestsTo(sim, 'sendTestNotification')).toEqual([])
    expect(sim.outbox).toEqual([])
  })

  it.each([
    [
      'the defaults',
      ['idn:notification-templates:read'],
      'GET /beta/notification-template-defaults, the default templates',
      'idn:notification-template-defaults:read',
    ],
    [
      'the customised list',
      ['idn:notification-template-defaults:read'],
      'GET /beta/notification-templates, the customised templates',
      'idn:notification-templates:read',
    ],
  ])(
    'a 403 on %s names the scope it needs, never "no such template"',
    async (_list, scopes, where, scope) => {
      const reader = { clientId: 'reader', clientSecret: 'reader-secret-0123456789', scopes }
      await setUp(
        { clients: [reader] },
        { clientId: reader.clientId, clientSecret: reader.clientSecret },
      )
      const error = await rejectionOf(tester.send({ ...WORK_ITEM, preflight: true }))
      expect([error.kind, error.httpStatus, error.vendorCode, error.operation]).toEqual([
        'forbidden',
        403,
        '403 Forbidden',
        // The send's own operation, as its message says: the list was read for it.
        'sailpoint.sendTestNotification',
      ])
      expect(error.message).toContain(
        `Sending the SailPoint test notification failed: SailPoint answered HTTP 403 (403 Forbidden) to ${where}:`,
      )
      expect(error.message).toContain(
        `The token lacks scope ${scope}: grant it to the personal access token or OAuth client`,
      )
      expect(error.message).toContain(
        'Nothing was sent (preflight: false sends without this check).',
      )
      expect(error.message).not.toContain('has no notification template')
      const listing = await rejectionOf(tester.listTemplates())
      expect(listing.operation).toBe('sailpoint.listTemplates')
      expect(listing.message).toContain(
        `Listing SailPoint notification templates failed: SailPoint answered HTTP 403 (403 Forbidden) to ${where}:`,
      )
      expect(sim.outbox).toEqual([])
    },
  )
})

describe('SailPoint errors', () => {
  it('400: a missing required context variable, with detailCode, causes and trackingId', async () => {
    await setUp()
    const error = await rejectionOf(tester.send({ ...WORK_ITEM, context: { taskTasks: 'tasks' } }))
    expect(error.kind).toBe('invalid_input')
    expect(error.httpStatus).toBe(400)
    expect(error.vendorCode).toBe('400.1 Bad Request Content')
    expect(error.requestId).toMatch(TRACKING_ID)
    expect(error.retryable).toBe(false)
    expect(error.message).toBe(
      `Sending the SailPoint test notification failed: SailPoint answered HTTP 400 (400.1 Bad Request Content): The context lacks variables template "cloud_manual_work_item_summary" requires. Causes: context.numberOfPendingTasks is required. Check key, medium and context against the tenant’s templates: listTemplates() shows the keys and mediums that exist. Tracking id: ${error.requestId ?? ''}.`,
    )
  })

  it('400: a medium the template does not have', async () => {
    await setUp()
    const error = await rejectionOf(
      tester.send({ key: 'certification_campaign_reminder', medium: 'SLACK' }),
    )
    expect([error.kind, error.httpStatus, error.vendorCode]).toEqual([
      'invalid_input',
      400,
      '400.1.1 Illegal value',
    ])
    expect(error.vendorMessage).toBe(
      'Template "certification_campaign_reminder" has no SLACK version; it is available for EMAIL.',
    )
  })

  it('404: a template key the tenant does not have', async () => {
    await setUp()
    const error = await rejectionOf(tester.send({ key: 'no_such_template', medium: 'EMAIL' }))
    expect([error.kind, error.httpStatus, error.vendorCode]).toEqual([
      'not_found',
      404,
      '404 Not found',
    ])
    expect(error.message).toContain('No notification template has the key "no_such_template".')
    expect(error.message).toContain(
      'The template key may not exist in this tenant (listTemplates() shows the keys)',
    )
  })

  it('404: an API path the host does not serve', async () => {
    await setUp()
    tester.close()
    tester = createSailPointTester({
      ...sim.credentials,
      baseUrl: `${sim.baseUrl}/gateway`,
      tokenUrl: `${sim.baseUrl}/oauth/token`,
      clock: time,
    })
    const error = await rejectionOf(tester.listTemplates())
    expect([error.kind, error.httpStatus, error.operation]).toEqual([
      'not_found',
      404,
      'sailpoint.listTemplates',
    ])
    expect(error.message).toBe(
      `Listing SailPoint notification templates failed: SailPoint answered HTTP 404 (404 Not found): Nothing is served at GET /gateway/beta/notification-templates. Check tenant (or baseUrl, now ${sim.baseUrl}) and apiVersion 'beta': the tenant may not offer this API version. Tracking id: ${error.requestId ?? ''}.`,
    )
  })

  it('403: a client that is not an ORG_ADMIN, with the scope each version needs', async () => {
    const viewer = {
      clientId: 'viewer',
      clientSecret: 'viewer-secret-0123456789',
      scopes: ['sp:scopes:default'],
    }
    await setUp(
      { clients: [viewer] },
      { clientId: viewer.clientId, clientSecret: viewer.clientSecret },
    )
    const beta = await rejectionOf(tester.send(WORK_ITEM))
    expect([beta.kind, beta.httpStatus, beta.vendorCode]).toEqual([
      'forbidden',
      403,
      '403 Forbidden',
    ])
    expect(beta.message).toBe(
      `Sending the SailPoint test notification failed: SailPoint answered HTTP 403 (403 Forbidden): The token's scopes (sp:scopes:default) do not allow this call; it needs one of: sp:scopes:all. This endpoint needs an identity with the ORG_ADMIN user level and a token with scope sp:scopes:all (apiVersion 'beta'): create the personal access token as an ORG_ADMIN, or grant the OAuth client that scope. Tracking id: ${beta.requestId ?? ''}.`,
    )
    const v1 = createSailPointTester(
      simOptions(sim, {
        apiVersion: 'v1',
        clientId: viewer.clientId,
        clientSecret: viewer.clientSecret,
      }),
    )
    const error = await rejectionOf(v1.send(WORK_ITEM))
    v1.close()
    expect(error.message).toContain(
      "a token with scope idn:notification-templates:create (apiVersion 'v1')",
    )
    expect(sim.outbox).toEqual([])
  })

  it('429: waits the Retry-After SailPoint gives, then sends once', async () => {
    await setUp()
    sim.faults.set('sendTestNotification', { kind: 'rateLimit', times: 1 })
    const ticket = await tester.send(WORK_ITEM)
    expect(ticket.details.httpStatus).toBe(204)
    expect(time.sleeps).toEqual([1000])
    expect(requestsTo(sim, 'sendTestNotification').map((r) => r.status)).toEqual([429, 204])
    expect(sim.outbox).toHaveLength(1)
  })

  it('429 from the real limiter: 100 requests per token per 10 s, then waits out the window', async () => {
    await setUp({}, { rateLimit: { perSecond: 10, burst: 100 } })
    const tickets = await Promise.all(Array.from({ length: 101 }, () => tester.send(WORK_ITEM)))
    expect(tickets).toHaveLength(101)
    const statuses = requestsTo(sim, 'sendTestNotification').map((r) => r.status)
    expect(statuses.filter((s) => s === 429)).toHaveLength(1)
    expect(statuses.filter((s) => s === 204)).toHaveLength(101)
    // The client's own spacing (100 ms), then SailPoint's Retry-After in whole seconds.
    expect(time.sleeps).toEqual([100, 10_000])
    expect(sim.outbox).toHaveLength(101)
  })

  it('429 with a Retry-After beyond the cap: gives up and says how long SailPoint asked for', async () => {
    await setUp({}, { retry: { maxRetryAfterMs: 500 } })
    sim.faults.set('sendTestNotification', { kind: 'rateLimit', times: 1 })
    const error = await rejectionOf(tester.send(WORK_ITEM))
    expect([error.kind, error.retryable, error.retryAfterMs]).toEqual(['rate_limited', true, 1000])
    expect(error.message).toBe(
      'Sending the SailPoint test notification failed: SailPoint answered HTTP 429: Rate Limit Exceeded. SailPoint allows 100 requests per 10 seconds, per access token or (since 2026-03) per client id, so a new token does not reset it; SailPoint asked to wait 1 s. That wait (1 s) is longer than the 500 ms notiprobe waits for a retry, so it gave up: try again later.',
    )
    expect(time.sleeps).toEqual([])
  })

  it('5xx on a send: reported, never repeated', async () => {
    await setUp()
    sim.faults.set('sendTestNotification', { kind: 'status', status: 500, times: 1 })
    const error = await rejectionOf(tester.send(WORK_ITEM))
    expect([error.kind, error.httpStatus, error.vendorCode, error.retryable]).toEqual([
      'vendor_error',
      500,
      '500.0 Internal Fault',
      false,
    ])
    expect(error.requestId).toMatch(TRACKING_ID)
    expect(requestsTo(sim, 'sendTestNotification')).toHaveLength(1)
    expect(time.sleeps).toEqual([])
  })

  it('5xx on a read: retried with backoff', async () => {
    await setUp()
    sim.faults.set('listTemplates', { kind: 'status', status: 503, times: 2 })
    await expect(tester.listTemplates()).resolves.toHaveLength(14)
    expect(requestsTo(sim, 'listTemplates').map((r) => r.status)).toEqual([503, 503, 200])
    // Full jitter with random() = 0.5: half of 200 ms, then half of 400 ms.
    expect(time.sleeps).toEqual([100, 200])
  })

  it('a dropped connection on a send: reported as possibly received, never repeated', async () => {
    await setUp()
    sim.faults.set('sendTestNotification', { kind: 'drop', times: 1 })
    const error = await rejectionOf(tester.send(WORK_ITEM))
    expect(error.kind).toBe('network')
    expect(error.retryable).toBe(false)
    expect(error.message).toMatch(
      /^Sending the SailPoint test notification failed: .+ talking to 127\.0\.0\.1:\d+\. The request may have reached sailpoint; it was not repeated so that no duplicate test notification is sent\. Check for it before sending again\.$/,
    )
    expect(requestsTo(sim, 'sendTestNotification').map((r) => r.outcome)).toEqual(['dropped'])
  })

  it('a dropped connection on a read: retried', async () => {
    await setUp()
    sim.faults.set('listTemplates', { kind: 'drop', times: 1 })
    await expect(tester.listTemplates({ key: 'access_request_reviewer' })).resolves.toHaveLength(3)
    expect(requestsTo(sim, 'listTemplates').map((r) => r.outcome)).toEqual(['dropped', 'answered'])
  })

  it('an HTML error page from a proxy: typed by its status', async () => {
    await setUp()
    sim.faults.set('sendTestNotification', {
      kind: 'malformed',
      malformed: 'html',
      status: 502,
      times: 1,
    })
    const error = await rejectionOf(tester.send(WORK_ITEM))
    expect([error.kind, error.httpStatus, error.vendorCode]).toEqual([
      'vendor_error',
      502,
      undefined,
    ])
    expect(error.message).toBe(
      'Sending the SailPoint test notification failed: SailPoint answered HTTP 502: a non-JSON body (text/html): "502 Bad Gateway 502 Bad Gateway" SailPoint had a problem on its side; try again later.',
    )
    expect(requestsTo(sim, 'sendTestNotification')).toHaveLength(1)
  })

  it('a template list that is not JSON: invalid_response', async () => {
    await setUp()
    sim.faults.set('listTemplates', {
      kind: 'malformed',
      malformed: 'invalid-json',
      status: 200,
      times: 1,
    })
    const error = await rejectionOf(tester.listTemplates())
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toBe(
      'Invalid list of customised templates from SailPoint (expected an array of templates with key and medium): Invalid input: expected array, received undefined',
    )
  })

  it('a send that takes too long: timeout, saying it may have arrived', async () => {
    await setUp()
    await tester.listTemplates() // fetch the token first
    sim.faults.set('sendTestNotification', { kind: 'latency', latencyMs: 2000, times: 1 })
    const started = performance.now()
    const error = await rejectionOf(tester.send({ ...WORK_ITEM, timeoutMs: 150 }))
    expect(performance.now() - started).toBeLessThan(1500)
    expect(error.kind).toBe('timeout')
    expect(error.message).toBe(
      'Sending the SailPoint test notification did not finish within 150 ms. sailpoint may still have received the request. Raise timeoutMs or try again later.',
    )
    expect(requestsTo(sim, 'sendTestNotification')).toHaveLength(1)
  })

  it('a send aborted by the caller: aborted, nothing sent', async () => {
    await setUp()
    const controller = new AbortController()
    controller.abort()
    const error = await rejectionOf(tester.send({ ...WORK_ITEM, signal: controller.signal }))
    expect(error.kind).toBe('aborted')
    expect(error.message).toBe(
      'Sending the SailPoint test notification was aborted by the caller while waiting for an access token. Nothing was sent.',
    )
    expect(requestsTo(sim, 'sendTestNotification')).toHaveLength(0)
  })
})

describe("with core's orchestration", () => {
  it('runTest sends, then reports accepted at the first check', async () => {
    await setUp()
    const { runTest, runAll } = await import('@notiprobe/core')
    const progress: string[] = []
    const outcome = await runTest(tester, {
      send: WORK_ITEM,
      onSent: (ticket) => progress.push(`sent ${ticket.vendor}`),
      onProgress: (p) => progress.push(`${p.outcome.state} after ${p.checks} check`),
      clock: time,
    })
    expect(outcome.state).toBe('accepted')
    expect(progress).toEqual(['sent sailpoint', 'accepted after 1 check'])
    // core's RunEntry types its tester as NotificationTester<never, never>, which no real tester
    // satisfies (send returns a ticket, not never); the CLI casts the same way.
    const entry = {
      tester: tester as unknown as RunEntry['tester'],
      send: { ...WORK_ITEM, medium: 'SLACK' },
    }
    const report = await runAll([entry], {
      clock: time,
    })
    expect(report.ok).toBe(true)
    expect(report.results[0]?.outcome?.state).toBe('accepted')
    expect(sim.outbox.map((entry) => entry.medium)).toEqual(['EMAIL', 'SLACK'])
  })
})
