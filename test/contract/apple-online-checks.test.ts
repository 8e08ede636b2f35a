import { createNotificationHandler, createSignedPayloadVerifier } from '@notiprobe/apple'
import { startAppleSimulator, type AppleSimulator } from '@notiprobe/simulator'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startReceiver } from './apple-helpers.js'
import { FakeClock } from '@notiprobe/core/testing'

// vendor-facts.md, verifying step 5: optional OCSP checks of leaf and intermediate, validity at
// now instead of at signedDate. Off by default, as in Apple's verifier.

describe('online checks (OCSP) against the simulator’s responder', () => {
  let sim: AppleSimulator
  let jws: string

  beforeAll(async () => {
    sim = await startAppleSimulator({ rateLimits: 'off' })
    jws = await sim.signNotification({ notificationType: 'SUBSCRIBED', subtype: 'INITIAL_BUY' })
  })
  afterAll(() => sim.close())
  beforeEach(() => sim.ocsp.set('good'))

  const verifier = (
    clock = new FakeClock({ start: Date.now() }),
    onlineChecks: object | boolean = true,
  ) =>
    createSignedPayloadVerifier({
      bundleId: sim.bundleId,
      environment: 'Sandbox',
      rootCertificates: [sim.rootCertificatePem],
      onlineChecks,
      clock,
    })

  it('are off by default: nothing is asked', async () => {
    const before = sim.ocsp.requests
    await createSignedPayloadVerifier({
      bundleId: sim.bundleId,
      environment: 'Sandbox',
      rootCertificates: [sim.rootCertificatePem],
    }).verify(jws)
    expect(sim.ocsp.requests).toBe(before)
  })

  it('pass when the responder says good for leaf and intermediate, and cache the answers', async () => {
    const clock = new FakeClock({ start: Date.now() })
    const checks = verifier(clock)
    const before = sim.ocsp.requests
    // Nested JWS are signed by the same chain: the cache serves them too.
    await expect(checks.verify(jws)).resolves.toMatchObject({ notificationType: 'SUBSCRIBED' })
    expect(sim.ocsp.requests - before).toBe(2)
    await checks.verify(jws)
    await checks.verify(await sim.signNotification({ notificationType: 'TEST' }))
    expect(sim.ocsp.requests - before).toBe(2)
    // After the cache time (15 minutes by default) the responder is asked again.
    clock.advance(15 * 60_000 + 1)
    await checks.verify(jws)
    expect(sim.ocsp.requests - before).toBe(4)
  })

  it.each(['leaf', 'intermediate'] as const)('fail when the %s is revoked', async (which) => {
    sim.ocsp.set('revoked', which)
    const name = which === 'leaf' ? 'x5c[0] (leaf)' : 'x5c[1] (intermediate)'
    await expect(verifier().verify(jws)).rejects.toMatchObject({
      kind: 'verification',
      retryable: false,
      message: expect.stringMatching(
        new RegExp(`^Signed payload rejected: ${name.replace(/[[\]()]/g, '\\$&')} was revoked at `),
      ) as string,
    })
  })

  it.each([
    ['unavailable', 'could not be reached (ECONNRESET)'],
    ['error', 'answered HTTP 500'],
  ] as const)(
    'are a retryable verification failure, never a pass, when the responder is %s',
    async (mode, why) => {
      sim.ocsp.set(mode)
      const error = await verifier()
        .verify(jws)
        .catch((e: unknown) => e)
      expect(error).toMatchObject({
        kind: 'verification',
        retryable: true,
        message: expect.stringContaining(why) as string,
      })
      // And the receiver answers 503, so that Apple tries again later.
      const handler = createNotificationHandler({
        bundleId: sim.bundleId,
        environment: 'Sandbox',
        rootCertificates: [sim.rootCertificatePem],
        onlineChecks: true,
        onNotification: () => {
          throw new Error('must not be called')
        },
      })
      const receiver = await startReceiver(handler)
      try {
        const answer = await fetch(receiver.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ signedPayload: jws }),
        })
        expect(answer.status).toBe(503)
      } finally {
        await receiver.close()
      }
    },
  )

  it('check validity at now, not at signedDate', async () => {
    // Ten years on, the simulator's leaf has expired: offline checks (at signedDate) still pass.
    const later = new FakeClock({ start: Date.now() + 10 * 365 * 86_400_000 })
    await expect(verifier(later, false).verify(jws)).resolves.toBeDefined()
    await expect(verifier(later).verify(jws)).rejects.toMatchObject({
      kind: 'verification',
      message: expect.stringMatching(
        /^Signed payload rejected: x5c\[0\] \(leaf\) was not valid at /,
      ) as string,
    })
  })

  it('are an option checked where it is given', () => {
    expect(() => verifier(undefined, { timeoutMs: 0 })).toThrow(/onlineChecks/)
  })
})
