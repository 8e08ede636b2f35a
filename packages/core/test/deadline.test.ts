import { describe, expect, it } from 'vitest'
import { createDeadline, DeadlineExceeded } from '../src/deadline.js'
import { FakeClock } from '../src/testing/fake-clock.js'

describe('createDeadline', () => {
  it('aborts with the caller’s reason, and is not a timeout', () => {
    const clock = new FakeClock()
    const caller = new AbortController()
    const deadline = createDeadline({ signal: caller.signal }, clock, 1_000)
    const reason = new Error('stop')
    caller.abort(reason)
    expect(deadline.signal.aborted).toBe(true)
    expect(deadline.signal.reason).toBe(reason)
    expect(deadline.timedOut()).toBe(false)
    deadline.dispose()
  })

  it('starts aborted when the caller’s signal already is', () => {
    const caller = new AbortController()
    caller.abort('gone')
    const deadline = createDeadline({ signal: caller.signal }, new FakeClock())
    expect(deadline.signal.reason).toBe('gone')
    expect(deadline.expiresAt).toBe(Infinity)
  })

  it('times out at its limit, counting down the time left', () => {
    const clock = new FakeClock()
    const deadline = createDeadline({ timeoutMs: 500 }, clock, 1_000)
    expect(deadline.timeoutMs).toBe(500)
    expect(deadline.expiresAt).toBe(clock.now() + 500)
    clock.advance(200)
    expect(deadline.remainingMs()).toBe(300)
    clock.advance(300)
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceeded)
    expect(deadline.timedOut()).toBe(true)
    expect(deadline.remainingMs()).toBe(0)
  })

  it('once disposed, neither its timer nor the caller’s signal aborts it', () => {
    const clock = new FakeClock()
    const caller = new AbortController()
    const deadline = createDeadline({ signal: caller.signal }, clock, 100)
    deadline.dispose()
    clock.advance(1_000)
    caller.abort()
    expect(deadline.signal.aborted).toBe(false)
  })

  it('tells its listeners once, without making a signal, and a signal made later is aborted', () => {
    const clock = new FakeClock()
    const deadline = createDeadline({ timeoutMs: 100 }, clock)
    const told: string[] = []
    const first = (): void => void told.push('first')
    const removed = (): void => void told.push('removed')
    deadline.addEventListener('abort', first)
    deadline.addEventListener('abort', removed)
    deadline.removeEventListener('abort', removed)
    expect(deadline.aborted).toBe(false)
    clock.advance(100)
    clock.advance(100)
    expect(told).toEqual(['first'])
    expect(deadline.aborted).toBe(true)
    deadline.addEventListener('abort', () => void told.push('late'))
    expect(told).toEqual(['first'])
    expect(deadline.signal.aborted).toBe(true)
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceeded)
  })

  it('aborts a signal it made before the caller aborted', () => {
    const caller = new AbortController()
    const deadline = createDeadline({ signal: caller.signal }, new FakeClock())
    const { signal } = deadline
    expect(signal.aborted).toBe(false)
    caller.abort('stop')
    expect(signal.reason).toBe('stop')
    expect(deadline.timedOut()).toBe(false)
    deadline.dispose()
  })
})
