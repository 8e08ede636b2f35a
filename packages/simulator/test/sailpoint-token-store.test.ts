import { describe, expect, it } from 'vitest'
import { TokenStore } from '../src/sailpoint/token-store.js'

const identity = { tenant: 'acme', tenantId: 'tenant-id', pod: 'stg01-useast1' }

describe('SailPoint simulator token store', () => {
  it('forgets expired tokens as new ones are issued, and still calls a forgotten one expired', async () => {
    const clock = { now: 1_000_000 }
    const store = new TokenStore({ now: () => clock.now, lifetimeSeconds: 60, identity })
    const first = await store.issue('client', ['sp:scopes:all'])
    for (let i = 0; i < 99; i++) await store.issue('client', ['sp:scopes:all'])
    expect(store.remembered).toBe(100)

    clock.now += 60_000
    const live = await store.issue('client', ['sp:scopes:all'])
    expect(store.remembered).toBe(1)
    expect(store.issued).toBe(101)
    expect(await store.check(first.jwt)).toEqual({
      ok: false,
      error: 'JWT validation failed: JWT is expired',
    })
    expect(await store.check(live.jwt)).toMatchObject({ ok: true })
  })

  it('keeps a token revoked until it expires, then forgets it', async () => {
    const clock = { now: 1_000_000 }
    const store = new TokenStore({ now: () => clock.now, lifetimeSeconds: 60, identity })
    const token = await store.issue('client', ['sp:scopes:all'])
    store.revokeAll()
    await store.issue('client', ['sp:scopes:all'])
    expect(await store.check(token.jwt)).toEqual({
      ok: false,
      error: 'JWT validation failed: JWT has been revoked',
    })
    clock.now += 60_000
    await store.issue('client', ['sp:scopes:all'])
    expect(store.remembered).toBe(1)
    expect(await store.check(token.jwt)).toMatchObject({
      error: 'JWT validation failed: JWT is expired',
    })
  })
})
