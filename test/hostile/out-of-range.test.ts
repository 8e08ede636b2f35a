import { afterEach, describe, expect, it } from 'vitest'
import { cli } from '../e2e/helpers.js'
import {
  answer,
  appleEnv,
  appleTester,
  startHostileVendor,
  typedFailure,
  type HostileVendor,
} from './hostile-vendor.js'

/**
 * Defect class 4: numbers outside the Date range. A `Retry-After` naming an impossible time is no
 * wait at all (the endpoint is not blocked until then), and no later call throws a RangeError.
 */

const TOKEN = '4a1e8c2f-2d6e-4b8e-9f3e-5d3a1b2c3d4e'

describe('numbers no Date can hold', () => {
  let vendor: HostileVendor | undefined
  afterEach(async () => {
    await vendor?.close()
    vendor = undefined
  })

  for (const retryAfter of [
    '99999999999999999',
    '9'.repeat(400),
    'Sun, 01 Jan 999999 00:00:00 GMT',
  ]) {
    it(`Retry-After: ${retryAfter.slice(0, 24)}… is ignored, and later calls still get typed errors`, async () => {
      vendor = await startHostileVendor((_req, res) =>
        answer(
          res,
          429,
          JSON.stringify({ errorCode: 4290000, errorMessage: 'Rate limit exceeded.' }),
          {
            'content-type': 'application/json',
            'retry-after': retryAfter,
          },
        ),
      )
      // Apple's own rate limits on: a 429 holds the endpoint back for as long as it asks.
      const tester = appleTester(vendor.url, 'per-second')
      const first = await typedFailure(tester.getTestNotificationStatus(TOKEN, { timeoutMs: 2000 }))
      expect(first.error).toMatchObject({ kind: 'rate_limited', httpStatus: 429 })
      expect(first.error.retryAfterMs).toBeUndefined()
      for (let call = 0; call < 2; call++) {
        const { error } = await typedFailure(
          tester.getTestNotificationStatus(TOKEN, { timeoutMs: 2000 }),
        )
        expect(['rate_limited', 'timeout']).toContain(error.kind)
        expect(error.message).not.toContain('Invalid time value')
      }
      tester.close()
    })
  }

  it('the CLI reports it as a rate limit, never as a bug (exit 70)', async () => {
    vendor = await startHostileVendor((_req, res) =>
      answer(res, 429, JSON.stringify({ errorCode: 4290000 }), {
        'content-type': 'application/json',
        'retry-after': '99999999999999999',
      }),
    )
    const result = await cli(['apple', 'status', TOKEN, '--base-url', vendor.url], {
      env: appleEnv(),
    })
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('rate_limited')
    expect(result.stderr).not.toContain('RangeError')
  })
})
