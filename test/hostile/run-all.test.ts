import { isNotificationTestError, runAll, type AnyNotificationTester } from '@notiprobe/core'
import { describe, expect, it } from 'vitest'

/**
 * Defect class 8: one broken entry never costs the others their results, and nothing raw escapes.
 */

const good = {
  vendor: 'good',
  send: () => Promise.resolve({ vendor: 'good', id: 't1', createdAt: 0 }),
  check: (ticket: unknown) =>
    Promise.resolve({ vendor: 'good', ticket, state: 'accepted', attempts: [], raw: {} }),
} as unknown as AnyNotificationTester

const throwingVendor = {
  get vendor(): string {
    throw new TypeError('vendor getter exploded')
  },
  send: good.send,
  check: good.check,
} as unknown as AnyNotificationTester

const throwingSend = {
  vendor: 'boom',
  send: () => {
    throw new RangeError('Invalid time value')
  },
  check: good.check,
} as unknown as AnyNotificationTester

describe('runAll with broken entries', () => {
  it('gives every entry its own result, typed, and keeps the good ones', async () => {
    const entries = [
      null,
      undefined,
      { tester: null },
      throwingVendor,
      throwingSend,
      { vendor: 'half' },
      new Proxy(
        {},
        {
          has: () => {
            throw new Error('trap')
          },
        },
      ),
      good,
    ] as unknown as AnyNotificationTester[]
    const report = await runAll(entries, {
      onProgress: () => {
        throw new Error('a broken progress display')
      },
    })
    expect(report.results).toHaveLength(entries.length)
    expect(report.ok).toBe(false)
    const last = report.results.at(-1)
    expect(last).toMatchObject({ name: 'good', ok: true })
    for (const result of report.results.slice(0, -1)) {
      expect(result.ok).toBe(false)
      expect(isNotificationTestError(result.error)).toBe(true)
    }
    expect(report.results[0]?.error?.kind).toBe('invalid_input')
    expect(report.results[0]?.error?.message).toContain('runAll entry 1 is null')
    expect(report.results[4]?.error).toMatchObject({
      kind: 'vendor_error',
      message: 'The boom test failed unexpectedly: Invalid time value',
    })
  })

  it('refuses a concurrency that is not a whole number with a typed error', async () => {
    await expect(runAll([good], { concurrency: Number.NaN })).rejects.toMatchObject({
      kind: 'invalid_input',
    })
  })
})
