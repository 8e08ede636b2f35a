import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { X509Certificate } from 'node:crypto'
import { compactVerify, importX509 } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APPLE_INTERMEDIATE_OID,
  APPLE_LEAF_OID,
  startAppleSimulator,
  type AppleSimulator,
} from '../src/apple/index.js'
import { callApple, decodeJws, eventually, startReceiver, type Receiver } from './apple-helpers.js'

describe('Apple simulator: signing certificate chain', () => {
  let sim: AppleSimulator
  let receiver: Receiver
  let x5c: string[]
  let signedPayload: string

  beforeAll(async () => {
    receiver = await startReceiver()
    sim = await startAppleSimulator({
      rateLimits: 'off',
      notificationUrl: receiver.url,
      deliveryDelayMs: 0,
    })
    await callApple(sim, 'POST', '/inApps/v1/notifications/test')
    const body = await eventually(() => receiver.received[0]?.body)
    signedPayload = (JSON.parse(body) as { signedPayload: string }).signedPayload
    x5c = decodeJws(signedPayload).header.x5c as string[]
  })
  afterAll(async () => {
    await sim.close()
    await receiver.close()
  })

  const cert = (i: number): X509Certificate =>
    new X509Certificate(Buffer.from(x5c[i] ?? '', 'base64'))

  it('carries exactly three certificates: leaf, intermediate, root', () => {
    expect(x5c).toHaveLength(3)
    const [leaf, intermediate, root] = [cert(0), cert(1), cert(2)]
    expect(leaf.checkIssued(intermediate)).toBe(true)
    expect(intermediate.checkIssued(root)).toBe(true)
    expect(root.checkIssued(root)).toBe(true)
    expect(leaf.verify(intermediate.publicKey)).toBe(true)
    expect(intermediate.verify(root.publicKey)).toBe(true)
    expect(root.verify(root.publicKey)).toBe(true)
    expect(leaf.verify(root.publicKey)).toBe(false)
    expect([leaf.ca, intermediate.ca, root.ca]).toEqual([false, true, true])
  })

  it('uses P-256 keys, valid now', () => {
    const now = Date.now()
    for (const i of [0, 1, 2]) {
      const c = cert(i)
      expect(c.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
      expect(Date.parse(c.validFrom)).toBeLessThanOrEqual(now)
      expect(Date.parse(c.validTo)).toBeGreaterThan(now)
    }
  })

  it("marks the intermediate and the leaf with Apple's extension OIDs", () => {
    const oids = (i: number): string[] =>
      new x509.X509Certificate(Buffer.from(x5c[i] ?? '', 'base64')).extensions.map((e) => e.type)
    expect(oids(0)).toContain(APPLE_LEAF_OID)
    expect(oids(0)).not.toContain(APPLE_INTERMEDIATE_OID)
    expect(oids(1)).toContain(APPLE_INTERMEDIATE_OID)
    expect(oids(1)).not.toContain(APPLE_LEAF_OID)
    expect(APPLE_LEAF_OID).toBe('1.2.840.113635.100.6.11.1')
    expect(APPLE_INTERMEDIATE_OID).toBe('1.2.840.113635.100.6.2.1')
    const leafConstraints = new x509.X509Certificate(
      Buffer.from(x5c[0] ?? '', 'base64'),
    ).getExtension(x509.BasicConstraintsExtension)
    expect(leafConstraints?.ca).toBe(false)
  })

  it('exports the root as the PEM trust anchor, the same certificate as x5c[2]', () => {
    const root = new X509Certificate(sim.rootCertificatePem)
    expect(root.raw.toString('base64')).toBe(x5c[2])
    expect(sim.rootCertificatePem).toMatch(/^-----BEGIN CERTIFICATE-----\n/)
  })

  it('signs with the leaf key, and a fresh simulator has a fresh chain', async () => {
    const leafPem = `-----BEGIN CERTIFICATE-----\n${x5c[0] ?? ''}\n-----END CERTIFICATE-----`
    await expect(
      compactVerify(signedPayload, await importX509(leafPem, 'ES256')),
    ).resolves.toBeDefined()
    const other = await startAppleSimulator()
    try {
      expect(other.rootCertificatePem).not.toBe(sim.rootCertificatePem)
    } finally {
      await other.close()
    }
  })
})

describe('Apple simulator: close()', () => {
  it('leaves no timer, socket or server behind', async () => {
    // The receiver never answers, so deliveries and realtime requests are all in flight at close.
    const receiver = await startReceiver(() => undefined)
    try {
      const baseline = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap')
      const sim = await startAppleSimulator({
        rateLimits: 'off',
        notificationUrl: receiver.url,
        realtimeUrl: receiver.url,
        deliveryDelayMs: 0,
      })
      await callApple(sim, 'POST', '/inApps/v1/notifications/test')
      await callApple(sim, 'POST', '/inApps/v1/notifications/test')
      await callApple(sim, 'POST', '/inApps/v1/messaging/performanceTest', {
        body: { originalTransactionId: '1' },
      })
      await eventually(() => (receiver.received.length >= 3 ? true : undefined))
      await sim.close()
      // Client-side sockets (fetch's pool) need a moment to see the server hang up.
      await new Promise((resolve) => setTimeout(resolve, 50))
      const after = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap')
      // Nothing new may remain (the runner's own timers may come and go).
      const count = (list: string[], kind: string): number => list.filter((r) => r === kind).length
      for (const kind of new Set(after)) {
        expect(count(after, kind), kind).toBeLessThanOrEqual(count(baseline, kind))
      }
    } finally {
      await receiver.close()
    }
  })
})
