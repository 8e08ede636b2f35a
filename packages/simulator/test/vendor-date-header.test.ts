import { afterEach, describe, expect, it } from 'vitest'
import { startAppleSimulator, type AppleSimulator } from '../src/apple/index.js'
import { startSailPointSimulator, type SailPointSimulator } from '../src/sailpoint/index.js'
import { callApple } from './apple-helpers.js'

/**
 * Every answer's `Date` comes from the injected clock, the clock Apple's `Retry-After` instants,
 * signed dates and SailPoint's token expiry are on; Node's own Date header is this machine's time.
 */

const CLOCK = Date.UTC(2031, 4, 6, 7, 8, 9)
const EXPECTED = new Date(CLOCK).toUTCString()
const STATUS = '/inApps/v1/notifications/test/0a1b2c3d-0000-4000-8000-000000000000_1700000000000'

let apple: AppleSimulator | undefined
let sailpoint: SailPointSimulator | undefined
afterEach(async () => {
  await apple?.close()
  await sailpoint?.close()
  apple = undefined
  sailpoint = undefined
})

describe("the simulators' Date header", () => {
  it('Apple: on answers, refusals and rate limits alike', async () => {
    apple = await startAppleSimulator({ now: () => CLOCK, rateLimits: 'per-second' })
    const nowS = Math.floor(CLOCK / 1000)
    const pending = await callApple(apple, 'GET', STATUS, { nowS })
    expect(pending.status).toBe(404)
    expect(pending.headers.get('date')).toBe(EXPECTED)
    const limited = await callApple(apple, 'GET', STATUS, { nowS })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('date')).toBe(EXPECTED)
    const refused = await callApple(apple, 'GET', STATUS, { token: null })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('date')).toBe(EXPECTED)
  })

  it('SailPoint: on the token endpoint and on refusals', async () => {
    sailpoint = await startSailPointSimulator({
      clientId: 'date-client',
      clientSecret: 'date-secret',
      now: () => CLOCK,
    })
    const token = await fetch(sailpoint.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'date-client',
        client_secret: 'date-secret',
      }),
    })
    expect(token.status).toBe(200)
    expect(token.headers.get('date')).toBe(EXPECTED)
    const refused = await fetch(`${sailpoint.baseUrl}/beta/send-test-notification`, {
      method: 'POST',
    })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('date')).toBe(EXPECTED)
  })
})
