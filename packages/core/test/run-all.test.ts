import { describe, expect, it } from 'vitest'
import { NotificationTestError } from '../src/error.js'
import { runAll, type RunProgress } from '../src/run-all.js'
import { runTest } from '../src/run-test.js'
import { fakeTester } from './fake-tester.js'
import { FakeClock } from '../src/testing/fake-clock.js'
import { rejectionOf } from '../src/testing/rejections.js'

describe('runTest', () => {
  it('sends once, then waits for a final state', async () => {
    const tester = fakeTester('apple', ['pending', 'delivered'])
    const sent: string[] = []
    const outcome = await runTest(tester, {
      clock: new FakeClock({ timers: 'real' }),
      onSent: (t) => sent.push(t.id),
    })
    expect(outcome.state).toBe('delivered')
    expect(tester.sends).toBe(1)
    expect(sent).toEqual(['apple-1'])
  })

  it('bounds send and wait together: the send gets timeoutMs, the wait what is left', async () => {
    const clock = new FakeClock({ start: 0, timers: 'real' })
    const tester = fakeTester('apple', ['pending'])
    const calls: (number | undefined)[] = []
    const send = tester.send.bind(tester)
    tester.send = (options?: { timeoutMs?: number }) => {
      calls.push(options?.timeoutMs)
      clock.advance(4_000)
      return send()
    }
    const error = await rejectionOf(runTest(tester, { clock, timeoutMs: 5_000 }))
    expect(calls).toEqual([5_000])
    expect(error.kind).toBe('timeout')
    expect(error.operation).toBe('apple.waitForOutcome')
    // One second was left: checks a second apart fit one, and nothing runs past the 5 s.
    expect(tester.checks).toBe(1)
    expect(clock.now()).toBeLessThanOrEqual(5_000)
  })
})

describe('runAll', () => {
  it('reports each vendor on its own; one failure never stops another', async () => {
    const clock = new FakeClock({ timers: 'real' })
    const broken = new NotificationTestError({
      vendor: 'sailpoint',
      operation: 'sailpoint.send',
      kind: 'auth',
      message: 'bad client',
    })
    const report = await runAll(
      [
        fakeTester('apple', ['pending', 'delivered']),
        {
          tester: fakeTester('sailpoint', ['accepted'], { sendError: broken }),
          name: 'sailpoint-email',
        },
        fakeTester('other', ['failed']),
        { tester: fakeTester('crashy', ['accepted'], { sendError: new TypeError('boom') }) },
      ],
      { clock },
    )
    expect(report.ok).toBe(false)
    expect(report.results.map((r) => [r.name, r.ok, r.outcome?.state, r.error?.kind])).toEqual([
      ['apple', true, 'delivered', undefined],
      ['sailpoint-email', false, undefined, 'auth'],
      ['other', false, 'failed', undefined],
      ['crashy', false, undefined, 'vendor_error'],
    ])
    expect(report.results[1].error).toBe(broken)
    expect(report.results[3].error?.message).toBe('The crashy test failed unexpectedly: boom')
  })

  it('is ok when every vendor confirms delivery or acceptance', async () => {
    const report = await runAll([fakeTester('a', ['delivered']), fakeTester('b', ['accepted'])], {
      clock: new FakeClock({ timers: 'real' }),
    })
    expect(report.ok).toBe(true)
  })

  it('runs at most `concurrency` entries at once', async () => {
    let running = 0
    let peak = 0
    const slow = (name: string) => {
      const tester = fakeTester(name, ['accepted'])
      const send = tester.send.bind(tester)
      tester.send = async () => {
        running++
        peak = Math.max(peak, running)
        await new Promise((resolve) => setTimeout(resolve, 10))
        running--
        return send()
      }
      return tester
    }
    await runAll(['a', 'b', 'c', 'd', 'e'].map(slow), { concurrency: 2 })
    expect(peak).toBe(2)
  })

  it('reports progress for each entry', async () => {
    const events: RunProgress[] = []
    await runAll([fakeTester('apple', ['pending', 'delivered'])], {
      clock: new FakeClock({ timers: 'real' }),
      onProgress: (e) => events.push(e),
    })
    expect(events.map((e) => e.type)).toEqual(['started', 'sent', 'checked', 'checked', 'finished'])
  })

  it('timeoutMs bounds the whole run: an entry whose turn comes after it is not sent', async () => {
    const clock = new FakeClock({ start: 0, timers: 'real' })
    const slow = fakeTester('apple', ['delivered'])
    const send = slow.send.bind(slow)
    slow.send = () => {
      clock.advance(3_000)
      return send()
    }
    const next = fakeTester('sailpoint', ['accepted'])
    const report = await runAll([slow, next], { clock, timeoutMs: 2_000, concurrency: 1 })
    expect(next.sends).toBe(0)
    expect(report.results[1]).toMatchObject({ name: 'sailpoint', ok: false })
    expect(report.results[1].error).toMatchObject({
      kind: 'timeout',
      operation: 'notiprobe.runAll',
      message:
        "sailpoint was not sent: the run's 2000 ms were over before its turn came. Raise the timeout, or run fewer checks at once.",
    })
  })
})
