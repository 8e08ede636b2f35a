import { readFileSync } from 'node:fs'
import { NotificationTestError } from '@notiprobe/core'
import picocolors from 'picocolors'
import { describe, expect, it } from 'vitest'
import { describeFailure } from '../src/errors.js'
import { colorEnabled } from '../src/output/colors.js'
import { formatFailure } from '../src/output/output.js'
import { VERSION } from '../src/version.js'

describe('colorEnabled', () => {
  const tty = { isTTY: true, write: () => true }
  const pipe = { isTTY: false, write: () => true }

  it('colours a terminal, not a pipe', () => {
    expect(colorEnabled(tty, {})).toBe(true)
    expect(colorEnabled(pipe, {})).toBe(false)
    expect(colorEnabled(tty, { TERM: 'dumb' })).toBe(false)
  })

  it('never colours with NO_COLOR, whatever else is set', () => {
    expect(colorEnabled(tty, { NO_COLOR: '1' })).toBe(false)
    expect(colorEnabled(tty, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false)
    // no-color.org: an empty NO_COLOR does not count.
    expect(colorEnabled(tty, { NO_COLOR: '' })).toBe(true)
  })

  it('lets FORCE_COLOR turn colour on or off', () => {
    expect(colorEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true)
    expect(colorEnabled(tty, { FORCE_COLOR: '0' })).toBe(false)
  })
})

describe('formatFailure', () => {
  it('puts the message first, then kind, vendor code, request id and what to do', () => {
    const failure = describeFailure(
      new NotificationTestError({
        vendor: 'sailpoint',
        operation: 'sailpoint.sendTestNotification',
        kind: 'forbidden',
        message: 'SailPoint refused the token: it lacks idn:notification-templates:create.',
        httpStatus: 403,
        vendorCode: '403',
        requestId: '0b1c2d3e',
        retryAfterMs: 1500,
      }),
      'notiprobe.sailpoint.test',
    )
    expect(formatFailure(failure, picocolors.createColors(false))).toBe(
      [
        '✖ SailPoint refused the token: it lacks idn:notification-templates:create.',
        '  kind         forbidden (exit 3)',
        '  vendor       sailpoint',
        '  vendor code  403',
        '  request id   0b1c2d3e',
        '  http status  403',
        '  retry after  1.5 s',
        '  operation    sailpoint.sendTestNotification',
        '  what to do   The credentials were accepted but lack a permission or scope: grant the one named in the message. Quote request id 0b1c2d3e to SailPoint support if it persists.',
        '',
      ].join('\n'),
    )
  })
})

describe('VERSION', () => {
  it('matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    expect(VERSION).toBe(pkg.version)
  })
})
