import { createSailPointTester, type SailPointTester } from '@notiprobe/sailpoint'
import {
  ROUTE_BACKOFF,
  startSailPointSimulator,
  type SailPointSimulator,
  type SailPointSimulatorOptions,
} from '@notiprobe/simulator'
import { afterEach, describe, expect, it } from 'vitest'
import { WORK_ITEM, manualClock, rejectionOf, requestsTo, simOptions } from './sailpoint-helpers.js'
import type { FakeClock } from '@notiprobe/core/testing'

/**
 * SailPoint's rate limit as the facts page gives it: 100 requests per access token per 10 s, or,
 * after the 2026-03 documentation change, per client id with route back-off up to 1,200 s. The
 * tester must hold for both: a new token never buys a new budget.
 */

let sim: SailPointSimulator
let time: FakeClock
const testers: SailPointTester[] = []

async function startSim(options: Omit<SailPointSimulatorOptions, 'now'>): Promise<void> {
  time = manualClock()
  sim = await startSailPointSimulator({
    tokenLifetimeSeconds: 86_400,
    ...options,
    now: time.now,
    random: () => 0.25,
  })
}

function tester(options: Parameters<typeof simOptions>[1] = {}): SailPointTester {
  const created = createSailPointTester(
    simOptions(sim, { clock: time, random: () => 0.5, ...options }),
  )
  testers.push(created)
  return created
}

afterEach(async () => {
  for (const t of testers.splice(0)) t.close()
  await sim.close()
})

const sendStatuses = () => requestsTo(sim, 'sendTestNotification').map((r) => r.status)

describe('counted per client id', () => {
  it('a new token after a 401 meets the same budget: the tester waits out the 429, then sends once', async () => {
    await startSim({ rateLimitPer: 'clientId' })
    const unlimited = tester({ rateLimits: 'off' })
    await Promise.all(Array.from({ length: 100 }, () => unlimited.send(WORK_ITEM)))
    sim.revokeTokens()
    const ticket = await unlimited.send(WORK_ITEM)
    expect(ticket.details.httpStatus).toBe(204)
    expect(sim.tokensIssued).toBe(2)
    expect(sendStatuses().slice(100)).toEqual([401, 429, 204])
    expect(time.sleeps).toEqual([10_000])
    expect(sim.outbox).toHaveLength(101)
  })

  it('two testers with the same client id share one client-side budget', async () => {
    await startSim({ rateLimitPer: 'clientId' })
    const limit = { perSecond: 10, burst: 100 }
    const first = tester({ rateLimit: limit })
    const second = tester({ rateLimit: limit })
    await Promise.all(Array.from({ length: 100 }, () => first.send(WORK_ITEM)))
    await second.send(WORK_ITEM)
    // The second tester has its own token, yet waits its turn in the shared budget (100 ms), then
    // meets SailPoint's window (Retry-After 10 s) instead of counting on a fresh budget.
    expect(time.sleeps).toEqual([100, 10_000])
    expect(sim.tokensIssued).toBe(2)
    expect(sendStatuses().filter((s) => s === 429)).toHaveLength(1)
    expect(sim.outbox).toHaveLength(101)
  })

  it('a 429 holds back every call of the client, whichever token comes next', async () => {
    await startSim({ rateLimitPer: 'clientId' })
    const limited = tester({ retry: { maxAttempts: 1 } })
    sim.faults.set('sendTestNotification', { kind: 'rateLimit', times: 1 })
    const refused = await rejectionOf(limited.send(WORK_ITEM))
    expect([refused.kind, refused.retryAfterMs]).toEqual(['rate_limited', 1000])
    sim.revokeTokens()
    await limited.send(WORK_ITEM)
    // The 1 s SailPoint asked for was waited before the next call, token refresh or not.
    expect(time.sleeps).toEqual([1000])
    expect(sendStatuses()).toEqual([429, 401, 204])
  })
})

describe('route back-off', () => {
  /** Drives the simulator into its last back-off tier with raw requests of the tester's client. */
  async function exhaustBackoffTiers(): Promise<void> {
    const res = await fetch(sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sim.credentials.clientId,
        client_secret: sim.credentials.clientSecret,
      }),
    })
    const { access_token: token } = (await res.json()) as { access_token: string }
    const list = `${sim.baseUrl}/beta/send-test-notification`
    for (const seconds of ROUTE_BACKOFF.tiersSeconds) {
      let retryAfter: string | null = null
      for (let window = 0; window < ROUTE_BACKOFF.intervalThreshold; window++) {
        for (let i = 0; i < 101; i++) {
          const answer = await fetch(list, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: '{}',
          })
          retryAfter = answer.headers.get('retry-after')
        }
        time.advance(10_000)
      }
      expect(retryAfter).toBe(String(seconds))
      if (seconds !== 1200) time.advance(seconds * 1000)
    }
  }

  it('a Retry-After of 1,200 s is beyond the cap: the send gives up at once, saying so, sending nothing', async () => {
    await startSim({ rateLimitPer: 'clientId', routeBackoff: true })
    await exhaustBackoffTiers()
    const before = requestsTo(sim, 'sendTestNotification').length
    const error = await rejectionOf(tester().send(WORK_ITEM))
    expect([error.kind, error.retryable, error.httpStatus]).toEqual(['rate_limited', true, 429])
    // 1,200 s from the third violated window, less the 10 s the driver moved the clock since.
    expect(error.retryAfterMs).toBe(1_190_000)
    expect(error.message).toContain(
      'SailPoint asked to wait 1190 s. That wait (1190 s) is longer than the 60 s notiprobe waits for a retry, so it gave up: try again later.',
    )
    expect(time.sleeps).toEqual([])
    expect(
      requestsTo(sim, 'sendTestNotification')
        .slice(before)
        .map((r) => r.status),
    ).toEqual([429])
    expect(sim.outbox).toEqual([])
  })
})
