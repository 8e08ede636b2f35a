import { describe, expect, it } from 'vitest'
import { createDeadline, DeadlineExceeded } from '../src/deadline.js'
import { TokenCache } from '../src/token-cache.js'
import { FakeClock } from '../src/testing/fake-clock.js'

function cache(clock: FakeClock): TokenCache {
  let issued = 0
  return new TokenCache({
    issue: () => Promise.resolve({ value: `token-${++issued}`, lifetimeMs: 1_000 }),
    clock,
    defaultLifetimeMs: 1_000,
    renewalMarginMs: 60_000,
    description: 'test token',
  })
}

describe('TokenCache.current', () => {
  it('gives the cached token only while it is not due for renewal, and never fetches', async () => {
    const clock = new FakeClock()
    const tokens = cache(clock)
    expect(tokens.current()).toBeUndefined()
    expect(tokens.fetches).toBe(0)
    expect(await tokens.getToken()).toBe('token-1')
    expect(tokens.current()).toBe('token-1')
    // Renewed after 90 % of its life: at 900 ms it is due.
    clock.advance(899)
    expect(tokens.current()).toBe('token-1')
    clock.advance(1)
    expect(tokens.current()).toBeUndefined()
    expect(tokens.fetches).toBe(1)
    expect(await tokens.getToken()).toBe('token-2')
  })

  it('gives nothing once the token was refused', async () => {
    const tokens = cache(new FakeClock())
    const token = await tokens.getToken()
    tokens.invalidate(token)
    expect(tokens.current()).toBeUndefined()
  })
})

describe('TokenCache.getToken with a call deadline', () => {
  it('stops waiting when the deadline ends, with its reason, and leaves the fetch to others', async () => {
    const clock = new FakeClock()
    let issue: (token: { value: string; lifetimeMs: number }) => void = () => undefined
    const tokens = new TokenCache({
      issue: () => new Promise((resolve) => (issue = resolve)),
      clock,
      defaultLifetimeMs: 1_000,
      renewalMarginMs: 60_000,
      description: 'test token',
    })
    const deadline = createDeadline({ timeoutMs: 100 }, clock)
    const waiting = tokens.getToken(deadline).then(
      () => 'got a token',
      (error: unknown) => error,
    )
    const patient = tokens.getToken()
    clock.advance(100)
    expect(await waiting).toBeInstanceOf(DeadlineExceeded)
    issue({ value: 'token-1', lifetimeMs: 1_000 })
    expect(await patient).toBe('token-1')
    expect(tokens.fetches).toBe(1)
  })
})
