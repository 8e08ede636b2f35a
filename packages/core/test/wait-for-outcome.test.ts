import { describe, expect, it } from 'vitest'
import type { Clock } from '../src/clock.js'
import { waitForOutcome, type WaitProgress } from '../src/wait-for-outcome.js'
import { fakeTester } from './fake-tester.js'
import { FakeClock } from '../src/testing/fake-clock.js'
import { rejectionOf as failure } from '../src/testing/rejections.js'

const ticket = { vendor: 'apple', id: 'apple-1', requestedAt: 0 }

describe('waitForOutcome', () => {
  it('checks until the state is final, spaced by the tester poll interval', async () => {
    const clock = new FakeClock({ timers: 'real' })
    const tester = fakeTester('apple', ['pending', 'pending', 'delivered'], {
      pollIntervalMs: 10_000,
    })
    const progress: WaitProgress[] = []
    const outcome = await waitForOutcome(tester, ticket, {
      clock,
      onProgress: (p) => progress.push(p),
    })
    expect(outcome.state).toBe('delivered')
    expect(clock.sleeps).toEqual([10_000, 10_000])
    expect(progress.map((p) => [p.checks, p.outcome.state, p.elapsedMs, p.nextCheckInMs])).toEqual([
      [1, 'pending', 0, 10_000],
      [2, 'pending', 10_000, 10_000],
      [3, 'delivered', 20_000, undefined],
    ])
  })

  it('never polls faster than the tester allows, even if asked to', async () => {
    const clock = new FakeClock({ timers: 'real' })
    const tester = fakeTester('apple', ['pending', 'failed'], { pollIntervalMs: 1000 })
    await waitForOutcome(tester, ticket, { clock, intervalMs: 10 })
    expect(clock.sleeps).toEqual([1000])
  })

  it('throws timeout when still pending at the deadline, without a wasted last sleep', async () => {
    const clock = new FakeClock({ timers: 'real' })
    const tester = fakeTester('apple', ['pending'], { pollIntervalMs: 1000 })
    const error = await failure(waitForOutcome(tester, ticket, { clock, timeoutMs: 3500 }))
    expect(error.kind).toBe('timeout')
    expect(error.operation).toBe('apple.waitForOutcome')
    expect(error.message).toBe(
      'The apple test notification apple-1 was not confirmed within 4 s (last state: pending). The vendor may still deliver it: check it again later, or wait longer.',
    )
    expect(tester.checks).toBe(4)
    expect(clock.sleeps).toEqual([1000, 1000, 1000])
  })

  it('ends promptly when aborted during a pause between checks', async () => {
    const tester = fakeTester('apple', ['pending'], { pollIntervalMs: 60_000 })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)
    const started = Date.now()
    const error = await failure(waitForOutcome(tester, ticket, { signal: controller.signal }))
    expect(error.kind).toBe('aborted')
    expect(error.message).toBe('Waiting for the apple test notification apple-1 was aborted.')
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('ends promptly when aborted during a check', async () => {
    const tester = fakeTester('apple', ['pending'], { checkDelayMs: 60_000 })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)
    const error = await failure(waitForOutcome(tester, ticket, { signal: controller.signal }))
    expect(error.kind).toBe('aborted')
  })

  it('turns a deadline that cuts a check short into timeout', async () => {
    const tester = fakeTester('apple', ['pending'], { checkDelayMs: 60_000 })
    const error = await failure(waitForOutcome(tester, ticket, { timeoutMs: 30 }))
    expect(error.kind).toBe('timeout')
    expect(error.message).toContain('(no answer yet)')
  })

  it('gives each check a whole timeoutMs, at most the longest timer (2^31 - 1 ms)', async () => {
    // A clock that gives fractions, and whose timers never fire (a virtual wait of 30 days).
    let now = 1000.25
    const clock: Clock = {
      now: () => now,
      sleep: (ms) => {
        now += ms + 0.5
        return Promise.resolve()
      },
      setTimer: () => () => undefined,
    }
    const timeouts: (number | undefined)[] = []
    const tester = fakeTester('apple', ['pending', 'pending', 'delivered'], {
      pollIntervalMs: 1000,
    })
    const check = tester.check.bind(tester)
    tester.check = (checked, call) => {
      timeouts.push(call?.timeoutMs)
      return check(checked, call)
    }
    await waitForOutcome(tester, ticket, { clock, timeoutMs: 60_000 })
    expect(timeouts).toEqual([60_000, 59_000, 57_999])
    timeouts.length = 0
    tester.checks = 0
    await waitForOutcome(tester, ticket, { clock, timeoutMs: 30 * 86_400_000 })
    expect(timeouts).toEqual([2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1])
  })
})
