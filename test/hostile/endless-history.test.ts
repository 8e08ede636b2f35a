import { afterEach, describe, expect, it } from 'vitest'
import { cli, ndjson } from '../e2e/helpers.js'
import {
  answer,
  appleEnv,
  appleTester,
  startHostileVendor,
  typedFailure,
  type HostileVendor,
} from './hostile-vendor.js'

/**
 * Defect class 3: an Apple (or a proxy) whose history never ends. The deadline covers the whole
 * iteration; a pagination token seen before, anywhere in the sequence, or a page over Apple's 20
 * records, is `invalid_response`; the CLI streams rows and holds none.
 */

const record = (n: number) => ({
  signedPayload: `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(`{"n":${n}}`).toString('base64url')}.c2ln`,
  sendAttempts: [],
})

function page(count: number, token: string | undefined, hasMore = true): string {
  return JSON.stringify({
    notificationHistory: Array.from({ length: count }, (_, i) => record(i)),
    hasMore,
    ...(token === undefined ? {} : { paginationToken: token }),
  })
}

async function drain(iterator: AsyncIterable<unknown>): Promise<number> {
  let count = 0
  for await (const _ of iterator) count++
  return count
}

const DAY = 86_400_000

describe('history that never ends', () => {
  let vendor: HostileVendor | undefined
  afterEach(async () => {
    await vendor?.close()
    vendor = undefined
  })

  it('stops at the deadline of the whole iteration, not of each page, with a timeout', async () => {
    vendor = await startHostileVendor((_req, res, n) => answer(res, 200, page(20, `token-${n}`)))
    const tester = appleTester(vendor.url)
    const now = Date.now()
    const timeoutMs = 1500
    const heapBefore = process.memoryUsage().heapUsed
    const { error, ms } = await typedFailure(
      drain(tester.notificationHistory({ startDate: now - DAY, endDate: now }, { timeoutMs })),
    )
    tester.close()
    expect(error).toMatchObject({ kind: 'timeout', operation: 'apple.getNotificationHistory' })
    expect(error.message).toMatch(
      /did not finish within 1500 ms \(the deadline covers every page\) after \d+ page\(s\)/,
    )
    expect(ms).toBeLessThan(timeoutMs + 1500)
    expect(vendor.requests).toBeGreaterThan(1)
    // Nothing is held between pages: memory does not grow with the pages read.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024)
  })

  it('refuses a pagination token seen before, anywhere in the sequence', async () => {
    const tokens = ['A', 'B', 'C', 'A']
    vendor = await startHostileVendor((_req, res, n) => answer(res, 200, page(1, tokens[n - 1])))
    const tester = appleTester(vendor.url)
    const now = Date.now()
    const { error } = await typedFailure(
      drain(tester.notificationHistory({ startDate: now - DAY, endDate: now })),
    )
    tester.close()
    expect(error).toMatchObject({ kind: 'invalid_response', httpStatus: 200 })
    expect(error.message).toBe(
      'Reading the Apple notification history failed: Apple said more records follow page 4 but gave a pagination token it had already given: the history would never end.',
    )
    expect(vendor.requests).toBe(4)
  })

  it('refuses a page larger than Apple’s 20 records', async () => {
    vendor = await startHostileVendor((_req, res) => answer(res, 200, page(21, 'next')))
    const tester = appleTester(vendor.url)
    const now = Date.now()
    const { error } = await typedFailure(
      drain(tester.notificationHistory({ startDate: now - DAY, endDate: now })),
    )
    tester.close()
    expect(error).toMatchObject({ kind: 'invalid_response' })
    expect(error.message).toBe(
      'Reading the Apple notification history failed: page 1 holds 21 records; Apple sends at most 20.',
    )
  })

  it('apple history --timeout 2s ends with a timeout, having streamed every row it read', async () => {
    vendor = await startHostileVendor((_req, res, n) => answer(res, 200, page(20, `token-${n}`)))
    const result = await cli(
      ['apple', 'history', '--since', '1h', '--timeout', '2s', '--json', '--base-url', vendor.url],
      { env: appleEnv(), killAfterMs: 15_000 },
    )
    expect(result.signal).toBeNull()
    expect(result.ms).toBeLessThan(2000 + 5000)
    const lines = ndjson(result)
    const error = lines.at(-1)?.error as Record<string, unknown> | undefined
    expect(error).toMatchObject({ kind: 'timeout', operation: 'apple.getNotificationHistory' })
    // The records read were printed before the error, as they came: rows stream.
    expect(lines.length - 1).toBeGreaterThan(0)
    expect(lines.length - 1).toBeLessThanOrEqual(20 * vendor.requests)
  })
})
