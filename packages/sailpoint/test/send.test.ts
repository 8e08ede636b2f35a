import { describe, expect, it } from 'vitest'
import { buildSendBody, parseSendOptions } from '../src/send.js'
import { thrownBy } from '@notiprobe/core/testing'

const PREFIX = 'Invalid SailPoint send options: '
const valid = { key: 'cloud_manual_work_item_summary', medium: 'EMAIL' } as const

function refused(input: unknown): string {
  const error = thrownBy(() => parseSendOptions(input))
  expect(error.kind).toBe('invalid_input')
  expect(error.operation).toBe('sailpoint.sendTestNotification')
  expect(error.message.startsWith(PREFIX)).toBe(true)
  return error.message.slice(PREFIX.length)
}

describe('send input', () => {
  it('needs a key and a medium', () => {
    expect(refused(undefined)).toBe(
      'expected an options object {key?, medium?, context?, locale?, recipients?, recipientEmailList?, carbonCopy?, blindCarbonCopy?, preflight?, signal?, timeoutMs?}',
    )
    expect(refused({})).toBe('key: is required; medium: is required (EMAIL, SLACK, TEAMS)')
    expect(refused({ key: '', medium: 'EMAIL' })).toBe('key: must not be empty')
    expect(refused({ key: 42, medium: 'EMAIL' })).toBe('key: must be a string')
  })

  it('allows template keys only, so a key cannot change a filter or a path', () => {
    for (const key of ['a b', 'x" or key eq "y', '../admin', 'key\n', 'k\u00e9y']) {
      expect(refused({ key, medium: 'EMAIL' })).toBe(
        "key: must be a template key: letters, digits, '_', '.' or '-' (e.g. cloud_manual_work_item_summary)",
      )
    }
    expect(refused({ key: 'k'.repeat(256), medium: 'EMAIL' })).toBe(
      'key: must be at most 255 characters',
    )
  })

  it('allows the three mediums, upper case', () => {
    expect(refused({ ...valid, medium: 'email' })).toBe(
      'medium: must be one of EMAIL, SLACK, TEAMS (upper case; got "email")',
    )
    expect(refused({ ...valid, medium: 'SMS' })).toBe(
      'medium: must be one of EMAIL, SLACK, TEAMS (got "SMS")',
    )
    for (const medium of ['EMAIL', 'SLACK', 'TEAMS'] as const) {
      expect(parseSendOptions({ ...valid, medium }).medium).toBe(medium)
    }
  })

  it('takes a context that is a plain JSON object, and says where it is not', () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    class Owner {
      id = 'x'
    }
    const cases: [unknown, string][] = [
      [[1, 2], 'context: must be a plain JSON object (got an array)'],
      ['{"a":1}', 'context: must be a plain JSON object (got a string)'],
      [new Map(), 'context: must be a plain JSON object (got a Map)'],
      [new Owner(), 'context: must be a plain JSON object (got a Owner)'],
      [
        { when: new Date(0) },
        'context.when: must be JSON: a string, finite number, boolean, null, array or plain object (got a Date)',
      ],
      [{ n: Number.NaN }, 'context.n: must be a finite number (got NaN)'],
      [
        { deep: { list: [1, Infinity] } },
        'context.deep.list.1: must be a finite number (got Infinity)',
      ],
      [
        { gone: undefined },
        'context.gone: must be JSON: a string, finite number, boolean, null, array or plain object (got undefined)',
      ],
      [
        { big: 10n },
        'context.big: must be JSON: a string, finite number, boolean, null, array or plain object (got a bigint)',
      ],
      [
        { fn: () => 1 },
        'context.fn: must be JSON: a string, finite number, boolean, null, array or plain object (got a function)',
      ],
      [cyclic, 'context.self: refers back to itself (a cycle)'],
      [
        // A hole JSON.stringify would send as null.
        // eslint-disable-next-line no-sparse-arrays
        { list: [1, , 3] },
        'context.list.1: must be JSON: a string, finite number, boolean, null, array or plain object (got undefined)',
      ],
    ]
    for (const [context, message] of cases) expect(refused({ ...valid, context })).toBe(message)
    let deep: Record<string, unknown> = {}
    const root = deep
    for (let i = 0; i < 40; i++) deep = deep.n = {}
    expect(refused({ ...valid, context: root })).toMatch(
      /^context(\.n){32}: nests deeper than 32 levels$/,
    )

    // Two references a level, 30 levels: 2^30 values as JSON.stringify would write them.
    let doubled: Record<string, unknown> = { id: 1 }
    for (let i = 0; i < 30; i++) doubled = { a: doubled, b: doubled }
    expect(refused({ ...valid, context: doubled })).toBe(
      'context: holds more than 10000 values (an object used in several places counts each time)',
    )
    expect(refused({ ...valid, context: { list: Array.from({ length: 10_000 }, () => 1) } })).toBe(
      'context: holds more than 10000 values (an object used in several places counts each time)',
    )
    const wide = { list: Array.from({ length: 9_998 }, () => 1) }
    expect(parseSendOptions({ ...valid, context: wide }).context).toBe(wide)

    const shared = { id: 1 }
    const context = {
      a: shared,
      b: shared,
      list: [null, true, 'x', 1.5, { nested: [] }],
      nullProto: Object.create(null) as object,
    }
    expect(parseSendOptions({ ...valid, context }).context).toBe(context)
  })

  it('checks the locale and the address lists', () => {
    expect(refused({ ...valid, locale: 'english!' })).toBe(
      'locale: must be a BCP 47 language tag such as en or en-US',
    )
    expect(refused({ ...valid, recipientEmailList: ['ok@example.com', 'not-an-address'] })).toBe(
      'recipientEmailList.1: must be an email address',
    )
    expect(refused({ ...valid, carbonCopy: 'a@example.com' })).toBe(
      'carbonCopy: must be an array of email addresses',
    )
    expect(refused({ ...valid, blindCarbonCopy: [] })).toBe(
      'blindCarbonCopy: must list at least one address, or be left out',
    )
    const many = Array.from({ length: 101 }, (_, i) => `u${i}@example.com`)
    expect(refused({ ...valid, recipientEmailList: many })).toBe(
      'recipientEmailList: must list at most 100 addresses',
    )
    expect(
      refused({ ...valid, recipients: ['a@example.com'], recipientEmailList: ['b@example.com'] }),
    ).toBe('recipientEmailList: is the same field as recipients; give one of them')
  })

  it('refuses unknown fields and bad call options', () => {
    expect(refused({ ...valid, template: 'x', cc: [] })).toBe(
      "unknown fields 'template', 'cc'; allowed: key, medium, context, locale, recipients, recipientEmailList, carbonCopy, blindCarbonCopy, preflight, signal, timeoutMs",
    )
    expect(refused({ ...valid, timeoutMs: 0, signal: {}, preflight: 'yes' })).toBe(
      'preflight: must be true or false; signal: expected an AbortSignal; timeoutMs: expected a whole number of milliseconds from 1 to 2147483647 (about 24.8 days)',
    )
  })

  it('names every problem at once', () => {
    expect(refused({ key: '', medium: 'FAX', context: [], locale: 'en_US' })).toBe(
      'key: must not be empty; medium: must be one of EMAIL, SLACK, TEAMS (got "FAX"); context: must be a plain JSON object (got an array); locale: must be a BCP 47 language tag such as en or en-US',
    )
  })
})

describe('send body', () => {
  it('is key, medium and context, context {} when absent', () => {
    expect(buildSendBody(parseSendOptions(valid))).toEqual({
      key: 'cloud_manual_work_item_summary',
      medium: 'EMAIL',
      context: {},
    })
    const context = { numberOfPendingTasks: '4', ownerId: '201327fda1c44704ac01181e963d463c' }
    expect(buildSendBody(parseSendOptions({ ...valid, medium: 'SLACK', context }))).toEqual({
      key: 'cloud_manual_work_item_summary',
      medium: 'SLACK',
      context,
    })
  })

  it('adds the locale and the address lists, on beta as on v1, recipients sent as recipientEmailList', () => {
    const request = parseSendOptions({
      ...valid,
      locale: 'fr',
      recipients: ['a@example.com'],
      carbonCopy: ['b@example.com'],
      blindCarbonCopy: ['c@example.com'],
      preflight: true,
      timeoutMs: 5000,
    })
    expect(request.preflight).toBe(true)
    expect(request.call).toEqual({ signal: undefined, timeoutMs: 5000 })
    expect(buildSendBody(request)).toEqual({
      key: 'cloud_manual_work_item_summary',
      medium: 'EMAIL',
      context: {},
      locale: 'fr',
      recipientEmailList: ['a@example.com'],
      carbonCopy: ['b@example.com'],
      blindCarbonCopy: ['c@example.com'],
    })
    expect(buildSendBody(parseSendOptions(valid))).toEqual({
      key: 'cloud_manual_work_item_summary',
      medium: 'EMAIL',
      context: {},
    })
  })
})
