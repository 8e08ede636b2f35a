import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, ndjson, startVendors, type Vendors } from './helpers.js'

/**
 * `apple history` exit codes as the README says: 1 when it lists a notification that never reached
 * the server (with --only-failures: any row at all), 0 when everything listed arrived and
 * verified; and --limit keeps the newest.
 */
let vendors: Vendors
const HOUR = 3_600_000
let base: string[]

beforeAll(async () => {
  vendors = await startVendors()
  base = ['--base-url', vendors.apple.baseUrl]
  const now = Date.now()
  // Three SUBSCRIBED that arrived, 10 to 8 hours ago; two DID_RENEW that did not, 4 to 3 hours ago.
  vendors.apple.seedHistory({ count: 3, startDate: now - 10 * HOUR, endDate: now - 8 * HOUR })
  vendors.apple.seedHistory({
    count: 2,
    startDate: now - 4 * HOUR,
    endDate: now - 3 * HOUR,
    notificationType: 'DID_RENEW',
    sendAttemptResult: 'UNSUCCESSFUL_HTTP_RESPONSE_CODE',
  })
})

afterAll(() => vendors.close())

const history = (...args: string[]) =>
  cli(['apple', 'history', ...args, ...base], { env: vendors.env })

describe('apple history exit codes', () => {
  it('exits 1 when a listed notification never reached the server, and says so', async () => {
    const result = await history('--since', '12h')
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/5 notifications from .*; 2 never reached your server\./)
  })

  it('exits 0 when everything listed arrived and verified', async () => {
    const result = await history('--since', '12h', '--until', '6h', '--json')
    expect(result.code).toBe(0)
    expect(ndjson(result)).toHaveLength(3)
  })

  it('with --only-failures, any row at all exits 1; none exits 0', async () => {
    const failing = await history('--since', '12h', '--only-failures', '--json')
    expect(failing.code).toBe(1)
    expect(ndjson(failing).map((r) => r.notificationType)).toEqual(['DID_RENEW', 'DID_RENEW'])
    const clean = await history('--since', '12h', '--until', '6h', '--only-failures', '--json')
    expect(clean.code).toBe(0)
    expect(clean.stdout).toBe('')
  })

  it('--limit keeps the newest', async () => {
    const all = ndjson(await history('--since', '12h', '--json'))
    const limited = ndjson(await history('--since', '12h', '--limit', '2', '--json'))
    expect(limited.map((r) => r.signedDate)).toEqual(all.slice(-2).map((r) => r.signedDate))
    expect(limited.map((r) => r.notificationType)).toEqual(['DID_RENEW', 'DID_RENEW'])
  })
})
