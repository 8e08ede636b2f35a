import { NotificationTestError } from '@notiprobe/core'
import { thrownBy } from '@notiprobe/core/testing'
import { describe, expect, it } from 'vitest'
import {
  parseTemplateVariables,
  templateVariablesError,
  templateVariablesPath,
} from '../src/template-variables.js'

describe('parseTemplateVariables', () => {
  it('keeps each variable’s key, type, description and example; a missing list is empty', () => {
    const parsed = parseTemplateVariables(
      {
        key: 'k',
        medium: 'EMAIL',
        templateVariables: [
          { key: 'count', type: 'number', description: 'How many.', example: 4, extra: true },
          { key: 'flag', type: null, example: false },
          { key: 'name' },
        ],
      },
      'k',
      'EMAIL',
    )
    expect(parsed).toEqual({
      key: 'k',
      medium: 'EMAIL',
      templateVariables: [
        { key: 'count', type: 'number', description: 'How many.', example: '4' },
        { key: 'flag', type: undefined, description: undefined, example: 'false' },
        { key: 'name', type: undefined, description: undefined, example: undefined },
      ],
      globalVariables: [],
    })
  })

  it.each([
    ['not an object', 'oops'],
    ['a variable without a key', { templateVariables: [{ type: 'string' }] }],
    [
      'more variables than any template has',
      { globalVariables: Array.from({ length: 1001 }, (_, i) => ({ key: `v${i}` })) },
    ],
  ])('refuses %s as invalid_response', (_what, body) => {
    const error = thrownBy(() => parseTemplateVariables(body, 'k', 'SLACK'))
    expect([error.kind, error.operation]).toEqual([
      'invalid_response',
      'sailpoint.templateVariables',
    ])
    expect(error.message).toContain("variables of the SailPoint template 'k' (SLACK)")
  })
})

describe('templateVariablesPath', () => {
  it('is on v1 and escapes the key', () => {
    expect(templateVariablesPath('a b', 'TEAMS')).toBe(
      '/notification-template-variables/v1/a%20b/TEAMS',
    )
  })
})

describe('templateVariablesError', () => {
  const answered = (httpStatus: number) =>
    new NotificationTestError({
      vendor: 'sailpoint',
      operation: 'sailpoint.templateVariables',
      kind: httpStatus === 403 ? 'forbidden' : 'not_found',
      message: 'raw',
      httpStatus,
      requestId: 'track-1',
    })

  it('says which scope a 403 lacks, and which template a 404 lacks', () => {
    const forbidden = templateVariablesError(
      answered(403),
      'k',
      'EMAIL',
      'beta',
    ) as NotificationTestError
    expect(forbidden.kind).toBe('forbidden')
    expect(forbidden.message).toContain('The token lacks scope idn:notification-templates:read')
    expect(forbidden.message).toContain('Tracking id: track-1.')
    const missing = templateVariablesError(
      answered(404),
      'k',
      'EMAIL',
      'v1',
    ) as NotificationTestError
    expect(missing.kind).toBe('not_found')
    expect(missing.message).toContain(
      "SailPoint has no EMAIL version of the template 'k' in this tenant",
    )
  })

  it('passes any other error through as it is', () => {
    const other = answered(500)
    expect(templateVariablesError(other, 'k', 'EMAIL', 'v1')).toBe(other)
    const raw = new Error('not ours')
    expect(templateVariablesError(raw, 'k', 'EMAIL', 'v1')).toBe(raw)
  })
})
