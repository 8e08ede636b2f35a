import { ERROR_KINDS, NotificationTestError } from '@notiprobe/core'
import { describe, expect, it } from 'vitest'
import { describeFailure } from '../src/errors.js'
import { EXIT, EXIT_CODES_HELP, exitCodeForError, worstExitCode } from '../src/exit-codes.js'

const error = (kind: (typeof ERROR_KINDS)[number], operation = 'apple.requestTestNotification') =>
  new NotificationTestError({ vendor: 'apple', operation, kind, message: 'm' })

describe('exitCodeForError', () => {
  it.each([
    ['invalid_input', EXIT.usage],
    ['config', EXIT.usage],
    ['not_found', EXIT.usage],
    ['auth', EXIT.auth],
    ['forbidden', EXIT.auth],
    ['rate_limited', EXIT.unavailable],
    ['vendor_error', EXIT.unavailable],
    ['network', EXIT.unavailable],
    ['timeout', EXIT.unavailable],
    ['invalid_response', EXIT.unavailable],
    ['verification', EXIT.failed],
    ['aborted', EXIT.interrupted],
  ] as const)('maps %s to %i', (kind, code) => {
    expect(exitCodeForError(error(kind))).toBe(code)
  })

  it('gives every kind a code', () => {
    for (const kind of ERROR_KINDS) expect(exitCodeForError(error(kind))).toBeTypeOf('number')
  })

  it('treats a wait that ran out as a check that did not pass, not a vendor failure', () => {
    expect(exitCodeForError(error('timeout', 'apple.waitForOutcome'))).toBe(EXIT.failed)
    expect(exitCodeForError(error('timeout', 'sailpoint.waitForOutcome'))).toBe(EXIT.failed)
    expect(exitCodeForError(error('timeout', 'apple.waitForPerformanceTest'))).toBe(EXIT.failed)
    expect(exitCodeForError(error('timeout', 'apple.getTestNotificationStatus'))).toBe(
      EXIT.unavailable,
    )
  })

  it('documents every code in the help text', () => {
    for (const code of new Set(Object.values(EXIT))) {
      expect(EXIT_CODES_HELP).toMatch(new RegExp(`^  ${code}\\s`, 'm'))
    }
  })
})

describe('worstExitCode', () => {
  it('is 0 for nothing and for all passes', () => {
    expect(worstExitCode([])).toBe(0)
    expect(worstExitCode([0, 0])).toBe(0)
  })

  it('puts what a person must fix first ahead: usage, auth, vendor, failed', () => {
    expect(worstExitCode([EXIT.failed, EXIT.unavailable])).toBe(EXIT.unavailable)
    expect(worstExitCode([EXIT.unavailable, EXIT.auth, EXIT.failed])).toBe(EXIT.auth)
    expect(worstExitCode([EXIT.auth, EXIT.usage])).toBe(EXIT.usage)
    expect(worstExitCode([EXIT.usage, EXIT.internal])).toBe(EXIT.internal)
    expect(worstExitCode([EXIT.ok, EXIT.failed, EXIT.interrupted])).toBe(EXIT.interrupted)
  })
})

describe('describeFailure', () => {
  it('prints a NotificationTestError as its JSON', () => {
    const failure = describeFailure(
      new NotificationTestError({
        vendor: 'sailpoint',
        operation: 'sailpoint.sendTestNotification',
        kind: 'forbidden',
        message: 'Refused.',
        httpStatus: 403,
        vendorCode: '403',
        requestId: 'abc',
      }),
      'notiprobe.sailpoint.test',
    )
    expect(failure).toEqual({
      exitCode: EXIT.auth,
      json: {
        name: 'NotificationTestError',
        message: 'Refused.',
        vendor: 'sailpoint',
        operation: 'sailpoint.sendTestNotification',
        kind: 'forbidden',
        httpStatus: 403,
        vendorCode: '403',
        retryable: false,
        requestId: 'abc',
        hint: 'The credentials were accepted but lack a permission or scope: grant the one named in the message. Quote request id abc to SailPoint support if it persists.',
      },
    })
  })

  it('redacts an unexpected error and calls it a bug (exit 70)', () => {
    const failure = describeFailure(
      new TypeError('failed with Authorization: Bearer abc.def.ghi and client_secret=hunter22'),
      'notiprobe.run',
    )
    expect(failure.exitCode).toBe(EXIT.internal)
    expect(failure.json.kind).toBe('internal')
    expect(failure.json.operation).toBe('notiprobe.run')
    expect(failure.json.message).not.toContain('abc.def.ghi')
    expect(failure.json.message).not.toContain('hunter22')
    expect(failure.json.message).toContain('bug in notiprobe')
  })
})
