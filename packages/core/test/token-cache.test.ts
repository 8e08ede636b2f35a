import { describe, expect, it } from 'vitest'
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
