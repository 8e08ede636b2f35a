import { NotificationTestError } from '@notiprobe/core'
import { SAILPOINT_OPERATIONS } from '../src/constants.js'
import { mapSailPointError } from '../src/errors.js'
import { describe, expect, it } from 'vitest'
import {
  nearestKeys,
  paginateTemplates,
  parseTemplateFilters,
  parseTemplatePage,
  templateListError,
  templateMissingError,
  type NotificationTemplate,
} from '../src/templates.js'
import { rejectionOf, thrownBy } from '@notiprobe/core/testing'

function template(key: string, medium = 'EMAIL', locale = 'en'): NotificationTemplate {
  return {
    source: 'default',
    key,
    medium,
    locale,
    name: undefined,
    description: undefined,
    subject: undefined,
    id: `${key}-${medium}-${locale}`,
    created: undefined,
    modified: undefined,
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

describe('template filters', () => {
  it('build SailPoint filter expressions', () => {
    expect(parseTemplateFilters(undefined).filters).toBeUndefined()
    expect(parseTemplateFilters({}).filters).toBeUndefined()
    expect(parseTemplateFilters({ key: 'a_b' }).filters).toBe('key eq "a_b"')
    expect(
      parseTemplateFilters({ key: ['a', 'b'], medium: 'SLACK', locale: 'en-US' }).filters,
    ).toBe('key in ("a","b") and medium eq "SLACK" and locale eq "en-US"')
  })

  it('match locally as well', () => {
    const { matches } = parseTemplateFilters({ key: ['a', 'b'], medium: 'EMAIL', locale: 'EN' })
    expect(matches(template('a'))).toBe(true)
    expect(matches(template('c'))).toBe(false)
    expect(matches(template('a', 'SLACK'))).toBe(false)
    expect(matches(template('b', 'EMAIL', 'de'))).toBe(false)
  })

  it('refuse what could not be a filter value', () => {
    const message = (input: unknown) => {
      const error = thrownBy(() => parseTemplateFilters(input))
      expect(error.kind).toBe('invalid_input')
      expect(error.operation).toBe('sailpoint.listTemplates')
      return error.message
    }
    expect(message({ key: 'a") or (key eq "b' })).toBe(
      "Invalid SailPoint template filters: key: must be a template key: letters, digits, '_', '.' or '-' (e.g. cloud_manual_work_item_summary)",
    )
    expect(message({ key: [], medium: 'sms', name: 'x' })).toBe(
      'Invalid SailPoint template filters: key: must list at least one key; medium: must be one of EMAIL, SLACK, TEAMS (got "sms"); unknown filter \'name\'; allowed: key, medium, locale',
    )
    expect(message('key eq "x"')).toBe(
      'Invalid SailPoint template filters: expected an options object {key?, medium?, locale?}',
    )
  })
})

describe('template pages', () => {
  it('parse SailPoint TemplateDto rows, keeping unknown mediums, and say which list they came from', () => {
    expect(
      parseTemplatePage(
        [
          {
            key: 'k',
            medium: 'SMS',
            locale: null,
            name: 'Name',
            subject: 'Hi',
            id: 'c17bea3a-574d-453c-9e04-4365fbf5af0b',
            created: '2020-01-01T00:00:00Z',
            footer: 'ignored',
          },
        ],
        'customized',
      ),
    ).toEqual([
      {
        source: 'customized',
        key: 'k',
        medium: 'SMS',
        locale: undefined,
        name: 'Name',
        description: undefined,
        subject: 'Hi',
        id: 'c17bea3a-574d-453c-9e04-4365fbf5af0b',
        created: '2020-01-01T00:00:00Z',
        modified: undefined,
      },
    ])
  })

  it('parse TemplateDtoDefault rows, which have no id, created or modified', () => {
    const [row] = parseTemplatePage(
      [
        {
          key: 'cloud_manual_work_item_summary',
          name: 'Task Manager Subscription',
          medium: 'EMAIL',
          locale: 'en',
          subject: 'You have tasks',
          header: null,
          body: 'Please go to the task manager',
          footer: null,
          from: '$__global.emailFromAddress',
          replyTo: '$__global.emailFromAddress',
          description: null,
          slackTemplate: { key: null },
        },
      ],
      'default',
    )
    expect(row).toEqual({
      source: 'default',
      key: 'cloud_manual_work_item_summary',
      medium: 'EMAIL',
      locale: 'en',
      name: 'Task Manager Subscription',
      description: undefined,
      subject: 'You have tasks',
      id: undefined,
      created: undefined,
      modified: undefined,
    })
  })

  it('refuse a body that is not a template list as invalid_response, naming the list', () => {
    const error = thrownBy(() =>
      parseTemplatePage([{ key: 'k' }, { medium: 'EMAIL', key: 3 }], 'customized'),
    )
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toBe(
      'Invalid list of customised templates from SailPoint (expected an array of templates with key and medium): 0.medium: Invalid input: expected string, received undefined; 1.key: Invalid input: expected string, received number',
    )
    const defaults = thrownBy(() => parseTemplatePage(undefined, 'default'))
    expect(defaults.kind).toBe('invalid_response')
    expect(defaults.message).toContain('Invalid list of default templates from SailPoint')
  })

  it('are read until a short page, 250 at a time', async () => {
    const all = Array.from({ length: 600 }, (_, i) => template(`t${String(i).padStart(3, '0')}`))
    const calls: [number, number][] = []
    const items = await collect(
      paginateTemplates(
        (offset, limit) => {
          calls.push([offset, limit])
          return Promise.resolve(all.slice(offset, offset + limit))
        },
        () => true,
      ),
    )
    expect(items).toEqual(all)
    expect(calls).toEqual([
      [0, 250],
      [250, 250],
      [500, 250],
    ])
  })

  it('stop at an empty page after exactly full pages', async () => {
    const all = Array.from({ length: 250 }, (_, i) => template(`t${i}`))
    const calls: number[] = []
    const items = await collect(
      paginateTemplates(
        (offset) => {
          calls.push(offset)
          return Promise.resolve(all.slice(offset, offset + 250))
        },
        (t) => t.key.endsWith('7'),
      ),
    )
    expect(calls).toEqual([0, 250])
    expect(items.map((t) => t.key)).toEqual(
      all.filter((t) => t.key.endsWith('7')).map((t) => t.key),
    )
  })

  it('end with invalid_response when the server ignores the offset', async () => {
    const page = Array.from({ length: 250 }, (_, i) => template(`t${i}`))
    let calls = 0
    const error = await rejectionOf(
      collect(
        paginateTemplates(
          () => {
            calls++
            return Promise.resolve(page)
          },
          () => true,
        ),
      ),
    )
    expect(calls).toBe(2)
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toBe(
      'Listing SailPoint notification templates stopped: page 2 repeated page 1: SailPoint ignored the offset.',
    )
  })
})

describe('pre-flight verdict', () => {
  const all = [
    template('cloud_manual_work_item_summary', 'EMAIL'),
    template('cloud_manual_work_item_summary', 'SLACK'),
    template('access_request_reviewer', 'EMAIL'),
    template('access_request_decision', 'TEAMS'),
  ]

  it('names the mediums a key exists for', () => {
    const error = templateMissingError('cloud_manual_work_item_summary', 'TEAMS', all)
    expect(error.kind).toBe('invalid_input')
    expect(error.operation).toBe('sailpoint.checkTemplate')
    expect(error.message).toBe(
      "SailPoint has no TEAMS version of the notification template 'cloud_manual_work_item_summary' in this tenant; it exists for EMAIL, SLACK.",
    )
  })

  it('lists the nearest keys when the key does not exist', () => {
    expect(templateMissingError('access_request_reviewr', 'EMAIL', all).message).toBe(
      "SailPoint has no notification template 'access_request_reviewr' in this tenant. Nearest of the 3 keys that exist: access_request_reviewer, access_request_decision, cloud_manual_work_item_summary. listTemplates() lists them all.",
    )
    expect(templateMissingError('x', 'EMAIL', []).message).toBe(
      "SailPoint has no notification template 'x': the tenant lists no templates at all, customised or default (check that the credentials belong to the right tenant).",
    )
    expect(nearestKeys('abc', ['xyz', 'abd', 'ab', 'abcd', 'zzzz'], 3)).toEqual([
      'ab',
      'abcd',
      'abd',
    ])
  })
})

describe('a 403 on a template list', () => {
  // As the API's error table maps SailPoint's 403 answer.
  const forbidden = mapSailPointError(
    {
      status: 403,
      headers: { 'content-type': 'application/json' },
      body: '',
      json: {
        detailCode: '403 Forbidden',
        trackingId: 'abc123',
        messages: [{ text: 'The caller is not allowed to use this endpoint.' }],
      },
      retryAfterMs: undefined,
    },
    {
      operation: SAILPOINT_OPERATIONS.listTemplates,
      endpoint: 'api',
      apiVersion: 'beta',
      url: 'https://acme.api.identitynow.com',
    },
  )

  it.each([
    [
      'default',
      'beta',
      'GET /beta/notification-template-defaults, the default templates',
      'idn:notification-template-defaults:read',
      'customised templates need idn:notification-templates:read',
    ],
    [
      'customized',
      'v1',
      'GET /notification-templates/v1, the customised templates',
      'idn:notification-templates:read',
      'default templates need idn:notification-template-defaults:read',
    ],
  ] as const)(
    'on the %s list (%s) names the scope it needs',
    (source, version, list, scope, other) => {
      const error = templateListError(
        forbidden,
        source,
        version,
        SAILPOINT_OPERATIONS.checkTemplate,
      ) as NotificationTestError
      expect([
        error.kind,
        error.httpStatus,
        error.vendorCode,
        error.requestId,
        error.operation,
      ]).toEqual(['forbidden', 403, '403 Forbidden', 'abc123', 'sailpoint.checkTemplate'])
      expect(error.message).toBe(
        `Checking the SailPoint notification template failed: SailPoint answered HTTP 403 (403 Forbidden) to ${list}: The caller is not allowed to use this endpoint. The token lacks scope ${scope}: grant it to the personal access token or OAuth client (notiprobe reads both lists; the ${other}). Tracking id: abc123.`,
      )
    },
  )

  it('says nothing was sent when it stopped a send, and leaves other errors alone', () => {
    const error = templateListError(
      forbidden,
      'default',
      'beta',
      SAILPOINT_OPERATIONS.sendTestNotification,
    ) as NotificationTestError
    expect(error.message).toContain('Nothing was sent (preflight: false sends without this check).')
    expect(error.operation).toBe('sailpoint.sendTestNotification')
    const notFound = new NotificationTestError({
      ...forbidden.toJSON(),
      kind: 'not_found',
      httpStatus: 404,
      message: 'x',
    })
    expect(templateListError(notFound, 'default', 'beta', SAILPOINT_OPERATIONS.checkTemplate)).toBe(
      notFound,
    )
  })
})
