import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js'
import { cli, expectNoSecrets, json, startVendors, type Vendors } from './helpers.js'

/**
 * No silent waits: the built binary announces retries, rate-limit waits and proxy tunnels on
 * stderr, one line each off a terminal, and keeps stdout the command's own output.
 */
const created: Vendors[] = []
let proxy: ConnectProxy

beforeAll(async () => {
  proxy = await startConnectProxy()
})

afterAll(async () => {
  await Promise.all([proxy.close(), ...created.map((v) => v.close())])
})

async function vendors(): Promise<Vendors> {
  const made = await startVendors()
  created.push(made)
  return made
}

const TIME = '\\d{2}:\\d{2}:\\d{2}'
const DELAY = '\\d+(?:\\.\\d)? (?:ms|s)'

describe.concurrent('announcements on stderr', () => {
  it("Apple's 429 with Retry-After: the wait and when it retries, then the test is sent", async () => {
    const v = await vendors()
    v.apple.faults.set('requestTestNotification', { kind: 'rateLimit', times: 1 })
    const result = await cli(['apple', 'test', '--base-url', v.apple.baseUrl], { env: v.env })
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(
      new RegExp(
        `^↻ Apple asked to wait ${DELAY} \\(rate limit\\); retrying at ${TIME} \\(attempt 2 of 4\\)$`,
        'm',
      ),
    )
    expect(v.apple.inspect().testNotifications).toHaveLength(1)
    expectNoSecrets(result, v)
  })

  it('a retried 5xx while waiting for delivery: status and next attempt, delivery confirmed', async () => {
    const v = await vendors()
    v.apple.faults.set('getTestNotificationStatus', { kind: 'status', status: 503, times: 1 })
    const result = await cli(['apple', 'test', '--wait', '--base-url', v.apple.baseUrl], {
      env: v.env,
    })
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(
      new RegExp(
        `^↻ Apple answered HTTP 503; retrying at ${TIME}, in ${DELAY} \\(attempt 2 of 4\\)$`,
        'm',
      ),
    )
  })

  it('with --json, stdout is the one JSON document and the announcement is on stderr', async () => {
    const v = await vendors()
    v.sailpoint.faults.set('listTemplates', { kind: 'status', status: 502, times: 1 })
    const result = await cli(
      ['sailpoint', 'templates', '--json', '--base-url', v.sailpoint.baseUrl],
      { env: v.env },
    )
    expect(result.code).toBe(0)
    expect(json(result)).toHaveProperty('templates')
    expect(result.stderr).toMatch(
      new RegExp(
        `^↻ SailPoint answered HTTP 502; retrying at ${TIME}, in ${DELAY} \\(attempt 2 of 4\\)\\n$`,
      ),
    )
    expectNoSecrets(result, v)
  })

  it('--quiet says nothing of it', async () => {
    const v = await vendors()
    v.sailpoint.faults.set('listTemplates', { kind: 'status', status: 502, times: 1 })
    const result = await cli(
      ['sailpoint', 'templates', '--json', '--quiet', '--base-url', v.sailpoint.baseUrl],
      { env: v.env },
    )
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
  })

  it('names the proxy each vendor host is reached through, and where that proxy came from', async () => {
    const v = await vendors()
    const result = await cli(['sailpoint', 'templates', '--base-url', v.sailpoint.baseUrl], {
      env: { ...v.env, HTTP_PROXY: proxy.url },
    })
    expect(result.code).toBe(0)
    const host = new URL(v.sailpoint.baseUrl).host
    // The token endpoint and the API: one tunnel each.
    const line = `↻ Connecting to SailPoint (${host}) through the proxy ${proxy.url} (from HTTP_PROXY)`
    expect(result.stderr.split('\n').filter((l) => l === line)).toHaveLength(2)
  })
})
