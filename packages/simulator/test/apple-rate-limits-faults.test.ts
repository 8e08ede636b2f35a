import { afterEach, describe, expect, it } from 'vitest'
import {
  startAppleSimulator,
  type AppleRateLimitMode,
  type AppleSimulator,
} from '../src/apple/index.js'
import { callApple, type AppleCall } from './apple-helpers.js'

const STATUS = '/inApps/v1/notifications/test/0a1b2c3d-0000-4000-8000-000000000000_1700000000000'
const HISTORY = '/inApps/v1/notifications/history'
const RATE_LIMITED = '{"errorCode":4290000,"errorMessage":"Rate limit exceeded."}'

describe('Apple simulator: rate limits', () => {
  let sim: AppleSimulator | undefined
  afterEach(() => sim?.close())

  async function clocked(
    environment: 'Sandbox' | 'Production',
    start: number,
    rateLimits?: AppleRateLimitMode,
  ) {
    let clock = start
    sim = await startAppleSimulator({
      environment,
      now: () => clock,
      ...(rateLimits === undefined ? {} : { rateLimits }),
    })
    const s = sim
    return {
      sim: s,
      advance: (ms: number) => (clock += ms),
      call: (path = STATUS, method: 'GET' | 'POST' = 'GET', body?: unknown): Promise<AppleCall> =>
        callApple(s, method, path, { nowS: Math.floor(clock / 1000), body }),
    }
  }

  it('by default (hourly, as Apple documents) allows 360 sandbox status calls an hour, however close', async () => {
    const start = Date.UTC(2030, 0, 1, 12)
    const { call, advance } = await clocked('Sandbox', start)
    const statuses: number[] = []
    for (let i = 0; i < 360; i++) {
      statuses.push((await call()).status)
      advance(1000)
    }
    expect(statuses).toEqual(Array.from({ length: 360 }, () => 404))
    const limited = await call()
    expect(limited.status).toBe(429)
    expect(limited.text).toBe(RATE_LIMITED)
    expect(limited.headers.get('retry-after')).toBe(String(start + 3_600_000))
    advance(3_240_000)
    expect((await call()).status).toBe(404)
  })

  it('per-second: allows 1 status call per 10 s in sandbox, then 429 with Retry-After in epoch ms', async () => {
    const start = Date.UTC(2030, 0, 1, 12)
    const { call, advance } = await clocked('Sandbox', start, 'per-second')
    expect((await call()).status).toBe(404)
    advance(4000)
    const limited = await call()
    expect(limited.status).toBe(429)
    expect(limited.text).toBe(RATE_LIMITED)
    expect(limited.headers.get('retry-after')).toBe(String(start + 10_000))
    advance(6000)
    expect((await call()).status).toBe(404)
  })

  it('per-second: allows 1 status call per second in production, per endpoint', async () => {
    const start = Date.UTC(2030, 0, 1, 12)
    const { call, advance } = await clocked('Production', start, 'per-second')
    expect((await call()).status).toBe(404)
    const limited = await call()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe(String(start + 1000))
    // Another endpoint has its own budget.
    const perf = await call('/inApps/v1/messaging/performanceTest/result/not-a-uuid')
    expect(perf.status).toBe(400)
    advance(1000)
    expect((await call()).status).toBe(404)
  })

  it('per-second: allows 5 history calls per second in sandbox, 50 in production', async () => {
    const start = Date.UTC(2030, 0, 1, 12)
    const { call } = await clocked('Sandbox', start, 'per-second')
    const body = { startDate: start - 1000, endDate: start }
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await call(HISTORY, 'POST', body)).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
    await sim?.close()

    const production = await clocked('Production', start, 'per-second')
    const calls = await Promise.all(
      Array.from({ length: 51 }, () => production.call(HISTORY, 'POST', body)),
    )
    expect(calls.filter((c) => c.status === 429)).toHaveLength(1)
  })

  it('per-second: keeps sandbox limits on the performance test even in production', async () => {
    const { call } = await clocked('Production', Date.UTC(2030, 0, 1, 12), 'per-second')
    const id = '/inApps/v1/messaging/performanceTest/result/0a1b2c3d-0000-4000-8000-000000000000'
    expect((await call(id)).status).toBe(404)
    expect((await call(id)).status).toBe(429)
  })

  it("'hourly' grants the per-second rate as an hourly budget; 'off' disables limits", async () => {
    sim = await startAppleSimulator({ rateLimits: 'hourly' })
    const many = await Promise.all(Array.from({ length: 20 }, () => callApple(sim!, 'GET', STATUS)))
    expect(many.every((c) => c.status === 404)).toBe(true)
    await sim.close()
    sim = await startAppleSimulator({ rateLimits: 'off' })
    const more = await Promise.all(Array.from({ length: 5 }, () => callApple(sim!, 'GET', STATUS)))
    expect(more.every((c) => c.status === 404)).toBe(true)
  })

  it('checks authentication before counting a request', async () => {
    const { sim: s, call } = await clocked('Sandbox', Date.UTC(2030, 0, 1, 12))
    expect((await callApple(s, 'GET', STATUS, { token: 'bad' })).status).toBe(401)
    expect((await call()).status).toBe(404)
  })
})

describe('Apple simulator: fault injection and inspection', () => {
  let sim: AppleSimulator
  afterEach(() => sim.close())

  it('answers 5xx faults in Apple shapes', async () => {
    sim = await startAppleSimulator({ rateLimits: 'off' })
    sim.faults.set('getTestNotificationStatus', { kind: 'status', status: 500, times: 1 })
    const general = await callApple(sim, 'GET', STATUS)
    expect(general.status).toBe(500)
    expect(general.json).toEqual({ errorCode: 5000000, errorMessage: 'An unknown error occurred.' })

    sim.faults.set('getTestNotificationStatus', { kind: 'status', status: 503, times: 1 })
    const retryable = await callApple(sim, 'GET', STATUS)
    expect(retryable.status).toBe(503)
    expect(retryable.json).toEqual({
      errorCode: 5000001,
      errorMessage: 'An unknown error occurred. Please try again.',
    })

    sim.faults.set('getTestNotificationStatus', {
      kind: 'malformed',
      status: 502,
      malformed: 'html',
      times: 1,
    })
    const html = await callApple(sim, 'GET', STATUS)
    expect(html.status).toBe(502)
    expect(html.headers.get('content-type')).toBe('text/html')
    expect(html.text).toContain('<title>502 Bad Gateway</title>')

    // The fault fired `times` times, then the endpoint is healthy again.
    expect((await callApple(sim, 'GET', STATUS)).status).toBe(404)
    expect(sim.faults.count.byEndpoint.getTestNotificationStatus).toBe(3)
  })

  it('answers a rate-limit fault as Apple does, with Retry-After one second ahead', async () => {
    const fixed = Date.UTC(2030, 0, 1)
    sim = await startAppleSimulator({ rateLimits: 'off', now: () => fixed })
    sim.faults.set('requestTestNotification', { kind: 'rateLimit' })
    const response = await callApple(sim, 'POST', '/inApps/v1/notifications/test', {
      nowS: fixed / 1000,
    })
    expect(response.status).toBe(429)
    expect(response.text).toBe(RATE_LIMITED)
    expect(response.headers.get('retry-after')).toBe(String(fixed + 1000))
  })

  it('drops connections, sends broken JSON and adds latency', async () => {
    sim = await startAppleSimulator({ rateLimits: 'off' })
    sim.faults.set('getNotificationHistory', { kind: 'drop', times: 1 })
    await expect(callApple(sim, 'POST', HISTORY, { body: {} })).rejects.toThrow('fetch failed')

    sim.faults.set('getNotificationHistory', {
      kind: 'malformed',
      malformed: 'invalid-json',
      status: 500,
      times: 1,
    })
    const broken = await callApple(sim, 'POST', HISTORY, { body: {} })
    expect(broken.status).toBe(500)
    expect(broken.json).toBeUndefined()
    expect(broken.text).toMatch(/^\{"errorCode":5000001,"errorMessage":$/)

    sim.faults.set('getNotificationHistory', { kind: 'latency', latencyMs: 120, times: 1 })
    const started = performance.now()
    const slow = await callApple(sim, 'POST', HISTORY, { body: {} })
    expect(performance.now() - started).toBeGreaterThanOrEqual(115)
    expect(slow.json).toMatchObject({ errorCode: 4000015 })
  })

  it('serves faults and inspection over the control surface', async () => {
    sim = await startAppleSimulator({ rateLimits: 'off' })
    const set = await fetch(`${sim.baseUrl}/__simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({
        endpoint: 'getPerformanceTestResults',
        kind: 'status',
        status: 500,
        times: 1,
      }),
    })
    expect(set.status).toBe(200)
    const unknown = await fetch(`${sim.baseUrl}/__simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ endpoint: 'nope', kind: 'status', status: 500 }),
    })
    expect(unknown.status).toBe(400)
    const faulted = await callApple(
      sim,
      'GET',
      '/inApps/v1/messaging/performanceTest/result/0a1b2c3d-0000-4000-8000-000000000000',
    )
    expect(faulted.json).toMatchObject({ errorCode: 5000000 })
    await callApple(sim, 'GET', STATUS, { token: null })

    const inspection = (await (
      await fetch(`${sim.baseUrl}/__simulator/inspect`)
    ).json()) as ReturnType<AppleSimulator['inspect']>
    expect(inspection).toMatchObject({
      vendor: 'apple',
      baseUrl: sim.baseUrl,
      environment: 'Sandbox',
      bundleId: 'com.example.notiprobe',
      history: { sent: 0, seeded: 0 },
      faults: { active: {}, count: { total: 1 } },
      authFailures: [{ endpoint: 'getTestNotificationStatus', reason: 'no Bearer token' }],
    })
    expect(inspection.requests.map((r) => [r.endpoint, r.status, r.fault?.kind])).toEqual([
      ['getPerformanceTestResults', 500, 'status'],
      ['getTestNotificationStatus', 401, undefined],
    ])
  })

  it('names its fault endpoints and refuses unknown ones', async () => {
    sim = await startAppleSimulator()
    expect(sim.faults.endpoints).toEqual([
      'requestTestNotification',
      'getTestNotificationStatus',
      'getNotificationHistory',
      'initiatePerformanceTest',
      'getPerformanceTestResults',
    ])
    expect(() => {
      sim.faults.set('nope' as 'getNotificationHistory', { kind: 'status', status: 500 })
    }).toThrow(/unknown endpoint "nope"/)
  })

  it('refuses unknown or invalid options', async () => {
    await expect(startAppleSimulator({ colour: 'red' } as never)).rejects.toThrow(
      /invalid Apple simulator options/,
    )
    await expect(startAppleSimulator({ notificationUrl: 'not a url' })).rejects.toThrow(
      /notificationUrl/,
    )
    sim = await startAppleSimulator()
  })
})
