import { describe, expect, it } from 'vitest'
import { parseExactJson } from '../src/exact-json.js'
import {
  hookDeliveryItemSchema,
  hookDeliveryListSchema,
  hookDeliverySchema,
  installationTokenSchema,
  isDelivered,
  validationErrorSchema,
  basicErrorSchema,
} from '../src/responses.js'

// The OpenAPI description's own examples (components/examples hook-delivery-items, hook-delivery).
const ITEMS = `[
 {"id":12345678,"guid":"0b989ba4-242f-11e5-81e1-c7b6966d2516","delivered_at":"2019-06-03T00:57:16Z","redelivery":false,
  "duration":0.27,"status":"OK","status_code":200,"event":"issues","action":"opened","installation_id":123,"repository_id":456,
  "throttled_at":"2019-06-03T00:57:16Z"},
 {"id":123456789,"guid":"0b989ba4-242f-11e5-81e1-c7b6966d2516","delivered_at":"2019-06-04T00:57:16Z","redelivery":true,
  "duration":0.28,"status":"OK","status_code":200,"event":"issues","action":"opened","installation_id":123,"repository_id":456,
  "throttled_at":null}
]`

const DELIVERY = {
  id: 12345678,
  guid: '0b989ba4-242f-11e5-81e1-c7b6966d2516',
  delivered_at: '2019-06-03T00:57:16Z',
  redelivery: false,
  duration: 0.27,
  status: 'OK',
  status_code: 200,
  event: 'issues',
  action: 'opened',
  installation_id: 123,
  repository_id: 456,
  url: 'https://www.example.com',
  request: {
    headers: {
      'X-GitHub-Delivery': '0b989ba4-242f-11e5-81e1-c7b6966d2516',
      'X-GitHub-Hook-ID': '42',
    },
    payload: { action: 'opened', issue: { body: 'foo' }, repository: { id: 123 } },
  },
  response: { headers: { 'Content-Type': 'text/html;charset=utf-8' }, payload: 'ok' },
}

describe('hook-delivery-item', () => {
  it("parses GitHub's documented example, ids as strings", () => {
    const items = hookDeliveryListSchema.parse(parseExactJson(ITEMS))
    expect(items.map((item) => item.id)).toEqual(['12345678', '123456789'])
    expect(items[0]?.installation_id).toBe('123')
    expect(items[1]).toMatchObject({ redelivery: true, throttled_at: null })
  })

  it('keeps an id above 2^53 exact through the whole path', () => {
    const text = ITEMS.replace('"id":12345678,', '"id":9007199254740993,')
    expect(hookDeliveryListSchema.parse(parseExactJson(text))[0]?.id).toBe('9007199254740993')
  })

  it('takes throttled_at as optional, and action, installation_id, repository_id as nullable', () => {
    const { throttled_at: _t, ...item } =
      hookDeliveryListSchema.parse(parseExactJson(ITEMS))[0] ?? {}
    const raw = { ...item, id: 1, installation_id: null, repository_id: null, action: null }
    expect(hookDeliveryItemSchema.safeParse(raw).success).toBe(true)
  })

  it.each([
    ['id', 0],
    ['id', '12a'],
    ['id', 1.5],
    ['delivered_at', '2019-06-03'],
    ['delivered_at', '1999-06-03T00:57:16Z'],
    ['delivered_at', '9999-06-03T00:57:16Z'],
    ['delivered_at', '2019-13-45T00:57:16Z'],
    ['duration', -1],
    ['duration', Infinity],
    ['status_code', 1000],
    ['status_code', 200.5],
    ['status', 'x'.repeat(1001)],
    ['redelivery', 'false'],
    ['guid', undefined],
  ])('refuses %s = %s', (field, value) => {
    const item = { ...(JSON.parse(ITEMS) as object[])[0], [field]: value }
    expect(hookDeliveryItemSchema.safeParse(item).success).toBe(false)
  })
})

describe('a delivery field past its limit', () => {
  it.each([
    ['guid', 'g'.repeat(101), 'expected at most 100 characters'],
    [
      'delivered_at',
      '2007-12-31T23:59:59Z',
      'expected an ISO 8601 date-time between 2008 and 2200',
    ],
    ['throttled_at', '2019-06-03', 'expected an ISO 8601 date-time between 2008 and 2200'],
    ['duration', 86_401, 'expected a number of seconds from 0 to 86400'],
    ['status_code', -1, 'expected a whole number from 0 to 999'],
  ])('names %s and says what is allowed', (field, value, message) => {
    const item = { ...(JSON.parse(ITEMS) as object[])[0], [field]: value }
    for (const schema of [hookDeliveryItemSchema, hookDeliverySchema]) {
      const issues = schema.safeParse({ ...DELIVERY, ...item }).error?.issues ?? []
      expect(issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
        [field, message],
      ])
    }
  })
})

describe('hook-delivery', () => {
  it("parses GitHub's documented example", () => {
    const delivery = hookDeliverySchema.parse(DELIVERY)
    expect(delivery.id).toBe('12345678')
    expect(delivery.response.payload).toBe('ok')
  })

  it('takes response.payload as a string, an object (older descriptions) or null', () => {
    for (const payload of ['ok', { ok: true }, null]) {
      expect(
        hookDeliverySchema.safeParse({ ...DELIVERY, response: { headers: null, payload } }).success,
      ).toBe(true)
    }
    expect(
      hookDeliverySchema.safeParse({ ...DELIVERY, response: { headers: null, payload: 5 } })
        .success,
    ).toBe(false)
  })

  it('requires request and response', () => {
    const { request: _r, ...missing } = DELIVERY
    expect(hookDeliverySchema.safeParse(missing).success).toBe(false)
  })
})

describe('other shapes', () => {
  it('installation token: 201 {token, expires_at}, any token length', () => {
    const token = {
      token: `ghs_1_${'a'.repeat(500)}`,
      expires_at: '2026-05-01T12:00:00Z',
      permissions: {},
    }
    expect(installationTokenSchema.parse(token).token).toHaveLength(506)
    expect(installationTokenSchema.safeParse({ ...token, token: 'has space' }).success).toBe(false)
    expect(installationTokenSchema.safeParse({ token: 'x' }).success).toBe(false)
  })

  it('basic-error and validation-error (object or string errors)', () => {
    expect(
      basicErrorSchema.parse({
        message: 'Not Found',
        documentation_url: 'https://docs.github.com',
        status: '404',
      }).status,
    ).toBe('404')
    expect(
      validationErrorSchema.safeParse({
        message: 'Validation Failed',
        errors: [{ code: 'invalid', field: 'x' }],
      }).success,
    ).toBe(true)
    expect(
      validationErrorSchema.safeParse({ message: 'Validation Failed', errors: ['bad'] }).success,
    ).toBe(true)
  })

  it('delivered means 2xx: never a 3xx, which GitHub files under success', () => {
    expect(
      [199, 200, 204, 299, 300, 302, 404, 0].map((status_code) => isDelivered({ status_code })),
    ).toEqual([false, true, true, true, false, false, false, false])
  })
})
