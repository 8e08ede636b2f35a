import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_TEMPLATES,
  type CustomizedTemplate,
  type TemplateListing,
} from '../src/sailpoint/index.js'
import { WORK_ITEM_SEND, errorDto, startHarness, type Harness } from './sailpoint-fixtures.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h.sim.close()
})

const VARIANT_COUNT = DEFAULT_TEMPLATES.reduce((n, t) => n + t.variants.length, 0)

async function list(path: string): Promise<TemplateListing[]> {
  const res = await h.api(path)
  expect(res.status).toBe(200)
  return (await res.json()) as TemplateListing[]
}

const keys = (rows: TemplateListing[]) => rows.map((r) => `${r.key}/${r.medium}/${r.locale}`)
const q = (filters: string) => `?filters=${encodeURIComponent(filters)}`

/** What the run customised: one default variant changed, and a locale the defaults lack. */
const CUSTOMIZED: CustomizedTemplate[] = [
  {
    key: 'cloud_manual_work_item_summary',
    variants: [
      {
        medium: 'EMAIL',
        locale: 'en',
        subject: 'ACME: $numberOfPendingTasks tasks wait',
        body: '<p>ACME tasks: $numberOfPendingTasks</p>',
      },
    ],
  },
  {
    key: 'access_request_decision',
    name: 'ACME access decision',
    variants: [{ medium: 'EMAIL', locale: 'es', subject: 'Decisión', body: '<p>Decisión</p>' }],
  },
]

async function customized(): Promise<void> {
  await h.sim.close()
  h = await startHarness({ customizedTemplates: CUSTOMIZED })
}

describe.each([
  '/beta/notification-templates',
  '/notification-templates/v1',
  '/v2025/notification-templates',
])('GET %s (the customised templates only)', (path) => {
  it('lists nothing on a tenant that customised nothing', async () => {
    expect(await list(path)).toEqual([])
  })

  it('lists only what the run customised, as TemplateDto with id, created and modified', async () => {
    await customized()
    const rows = await list(path)
    expect(keys(rows)).toEqual([
      'access_request_decision/EMAIL/es',
      'cloud_manual_work_item_summary/EMAIL/en',
    ])
    expect(rows[1]).toEqual({
      key: 'cloud_manual_work_item_summary',
      name: 'Task Manager Subscription',
      medium: 'EMAIL',
      locale: 'en',
      subject: 'ACME: $numberOfPendingTasks tasks wait',
      header: null,
      body: '<p>ACME tasks: $numberOfPendingTasks</p>',
      footer: null,
      from: 'no-reply@notifications.sim.invalid',
      replyTo: 'no-reply@notifications.sim.invalid',
      description: 'Daily digest of manual work items waiting for the recipient.',
      id: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ) as unknown,
      created: '2024-01-15T09:00:00.000Z',
      modified: '2024-01-15T09:00:00.000Z',
    })
    expect(rows[0]?.name).toBe('ACME access decision')
  })
})

describe.each([
  '/beta/notification-template-defaults',
  '/notification-template-defaults/v1',
  '/v2025/notification-template-defaults',
])('GET %s (the defaults every tenant has)', (path) => {
  it('lists every default variant as TemplateDtoDefault (no id or times), sorted', async () => {
    const rows = await list(path)
    expect(rows).toHaveLength(VARIANT_COUNT)
    expect(keys(rows).slice(0, 4)).toEqual([
      'access_request_decision/EMAIL/de',
      'access_request_decision/EMAIL/en',
      'access_request_decision/SLACK/en',
      'access_request_reviewer/EMAIL/en',
    ])
    expect(
      rows.find((r) => r.key === 'cloud_manual_work_item_summary' && r.locale === 'fr'),
    ).toEqual({
      key: 'cloud_manual_work_item_summary',
      name: 'Task Manager Subscription',
      medium: 'EMAIL',
      locale: 'fr',
      subject: 'Vous avez $numberOfPendingTasks tâche(s) en attente dans ${__global.productName}',
      header: null,
      body: '<p>Bonjour $__recipient.name,</p><p>$numberOfPendingTasks tâche(s) manuelle(s) vous attendent.</p>',
      footer: null,
      from: 'no-reply@notifications.sim.invalid',
      replyTo: 'no-reply@notifications.sim.invalid',
      description: 'Daily digest of manual work items waiting for the recipient.',
    })
  })

  it('still lists the defaults, unchanged, when the run customised some', async () => {
    await customized()
    const rows = await list(path)
    expect(rows).toHaveLength(VARIANT_COUNT)
    expect(
      rows.find(
        (r) =>
          r.key === 'cloud_manual_work_item_summary' && r.locale === 'en' && r.medium === 'EMAIL',
      )?.subject,
    ).not.toContain('ACME')
  })
})

describe('the templates a send uses', () => {
  it('are the customised variants where the run customised one, the defaults elsewhere', async () => {
    await customized()
    const send = (locale: string) =>
      h.api('/beta/send-test-notification', { body: { ...WORK_ITEM_SEND, locale } })
    expect((await send('en')).status).toBe(204)
    expect((await send('fr')).status).toBe(204)
    expect(h.sim.outbox.map((n) => n.subject)).toEqual([
      'ACME: 4 tasks wait',
      'Vous avez 4 tâche(s) en attente dans Identity Security Cloud',
    ])
  })

  it('cannot be customised from a key that has no default', async () => {
    await expect(
      startHarness({
        customizedTemplates: [{ key: 'brand_new', variants: CUSTOMIZED[0]?.variants ?? [] }],
      }),
    ).rejects.toThrow('customized template brand_new has no default')
  })
})

describe('filters on the defaults: key eq|in|sw, medium eq|sw, locale eq|sw', () => {
  const path = '/beta/notification-template-defaults'

  it('key eq', async () => {
    expect(keys(await list(`${path}${q('key eq "certification_campaign_reminder"')}`))).toEqual([
      'certification_campaign_reminder/EMAIL/en',
    ])
  })

  it('key in, with and medium eq', async () => {
    const rows = await list(
      `${path}${q('key in ("access_request_decision","approval_request_notification") and medium eq "SLACK"')}`,
    )
    expect(keys(rows)).toEqual([
      'access_request_decision/SLACK/en',
      'approval_request_notification/SLACK/en',
    ])
  })

  it('locale eq, combined with medium eq', async () => {
    expect(keys(await list(`${path}${q('locale eq "fr"')}`))).toEqual([
      'cloud_manual_work_item_summary/EMAIL/fr',
    ])
    expect(keys(await list(`${path}${q('medium eq "EMAIL" and locale eq "de"')}`))).toEqual([
      'access_request_decision/EMAIL/de',
    ])
    expect(await list(`${path}${q('medium eq "FAX"')}`)).toEqual([])
  })

  it('sw on key, medium and locale', async () => {
    expect(keys(await list(`${path}${q('key sw "access_request_r" and medium sw "T"')}`))).toEqual([
      'access_request_reviewer/TEAMS/en',
    ])
    expect(keys(await list(`${path}${q('locale sw "d"')}`))).toEqual([
      'access_request_decision/EMAIL/de',
    ])
  })

  it.each([
    ['name eq "x"', 'expected a field (key, medium, locale), got "name"'],
    ['key eq x', 'expected a quoted value, got "x"'],
    ['key eq "a" or key eq "b"', 'expected and, got "or"'],
    ['key in ("a" "b")', 'expected , or ) in the in list'],
    ['key eq "a', 'unterminated string literal'],
  ])('answers 400 for %s', async (filters, reason) => {
    const res = await h.api(`${path}${q(filters)}`)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual(
      errorDto('400.1 Bad Request Content', `Invalid filters "${filters}": ${reason}.`),
    )
  })
})

describe('filters on the customised list: key eq|in, medium eq, locale eq, name, description, id eq|sw', () => {
  const path = '/beta/notification-templates'

  it('key in, medium eq, locale eq, name sw and id eq', async () => {
    await customized()
    expect(
      keys(
        await list(
          `${path}${q('key in ("access_request_decision","x") and medium eq "EMAIL" and locale eq "es"')}`,
        ),
      ),
    ).toEqual(['access_request_decision/EMAIL/es'])
    expect(keys(await list(`${path}${q('name sw "ACME"')}`))).toEqual([
      'access_request_decision/EMAIL/es',
    ])
    expect(
      keys(
        await list(
          `${path}${q('description eq "Daily digest of manual work items waiting for the recipient."')}`,
        ),
      ),
    ).toEqual(['cloud_manual_work_item_summary/EMAIL/en'])
    const [row] = await list(path)
    expect(keys(await list(`${path}${q(`id eq "${row?.id ?? ''}"`)}`))).toEqual([
      'access_request_decision/EMAIL/es',
    ])
  })

  it.each([
    ['key sw "a"', 'expected operator eq or in after key, got "sw"'],
    ['medium sw "E"', 'expected operator eq after medium, got "sw"'],
    [
      'subject eq "x"',
      'expected a field (key, medium, locale, name, description, id), got "subject"',
    ],
  ])('answers 400 for %s', async (filters, reason) => {
    const res = await h.api(`${path}${q(filters)}`)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual(
      errorDto('400.1 Bad Request Content', `Invalid filters "${filters}": ${reason}.`),
    )
  })
})

describe('paging', () => {
  const path = '/notification-template-defaults/v1'

  it('pages with limit and offset, and counts with count=true', async () => {
    const all = keys(await list(path))
    expect(keys(await list(`${path}?limit=2`))).toEqual(all.slice(0, 2))
    expect(keys(await list(`${path}?limit=3&offset=2`))).toEqual(all.slice(2, 5))
    expect(await list(`${path}?offset=${String(all.length)}`)).toEqual([])
    const counted = await h.api(`${path}?limit=1&count=true`)
    expect(counted.headers.get('x-total-count')).toBe(String(all.length))
    expect((await h.api(`${path}?limit=250`)).status).toBe(200)
  })

  it.each([
    ['limit=0', 'limit must be an integer from 1 to 250, got "0".'],
    ['limit=251', 'limit must be an integer from 1 to 250, got "251".'],
    ['limit=ten', 'limit must be an integer from 1 to 250, got "ten".'],
    ['offset=-1', 'offset must be a non-negative integer, got "-1".'],
  ])('answers 400.1.1 for %s', async (query, text) => {
    const res = await h.api(`${path}?${query}`)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual(errorDto('400.1.1 Illegal value', text))
  })
})

describe('GET notification-template-variables/{key}/{medium}', () => {
  it('gives global and template variables', async () => {
    const res = await h.api(
      '/notification-template-variables/v1/certification_campaign_reminder/EMAIL',
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      key: 'certification_campaign_reminder',
      medium: 'EMAIL',
      globalVariables: [
        {
          key: '__global.productName',
          type: 'string',
          description: 'Display name of the product.',
          example: 'Identity Security Cloud',
        },
        {
          key: '__global.emailFromAddress',
          type: 'string',
          description: 'Address notifications are sent from.',
          example: 'no-reply@notifications.sim.invalid',
        },
        {
          key: '__recipient.name',
          type: 'string',
          description: 'Display name of the identity receiving the notification.',
          example: 'Simulated Admin',
        },
      ],
      templateVariables: [
        {
          key: 'campaignName',
          type: 'string',
          description: 'Name of the campaign.',
          example: 'Q3 manager review',
        },
        {
          key: 'deadline',
          type: 'string',
          description: 'When the campaign closes.',
          example: '2026-09-30',
        },
      ],
    })
    expect(
      (await h.api('/v2026/notification-template-variables/certification_campaign_reminder/EMAIL'))
        .status,
    ).toBe(200)
  })

  it('answers 404 for an unknown key or a medium the template lacks, 400 for a bad medium', async () => {
    const unknown = await h.api('/notification-template-variables/v1/nope/EMAIL')
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual(
      errorDto('404 Not found', 'No notification template "nope" exists for medium EMAIL.'),
    )
    const lacking = await h.api(
      '/notification-template-variables/v1/certification_campaign_reminder/TEAMS',
    )
    expect(lacking.status).toBe(404)
    const bad = await h.api(
      '/notification-template-variables/v1/certification_campaign_reminder/FAX',
    )
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual(
      errorDto(
        '400.1.1 Illegal value',
        'Illegal value "FAX" for medium; expected one of EMAIL, SLACK, TEAMS.',
      ),
    )
  })
})
