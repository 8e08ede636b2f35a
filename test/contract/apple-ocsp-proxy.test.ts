import { createSignedPayloadVerifier } from '@notiprobe/apple'
import { startAppleSimulator, type AppleSimulator } from '@notiprobe/simulator'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js'

/**
 * OCSP queries of online checks go the way every Apple call goes: through the kit's connections,
 * so the `proxy` option (or HTTP_PROXY, the responders being http://) tunnels them with CONNECT.
 */
let sim: AppleSimulator
let proxy: ConnectProxy
let refusing: ConnectProxy
let jws: string

beforeAll(async () => {
  ;[sim, proxy, refusing] = await Promise.all([
    startAppleSimulator({ rateLimits: 'off' }),
    startConnectProxy(),
    startConnectProxy({ refuse: true }),
  ])
  jws = await sim.signNotification({ notificationType: 'TEST' })
})

afterEach(() => {
  vi.unstubAllEnvs()
  sim.ocsp.set('good')
})

afterAll(async () => {
  await Promise.all([sim.close(), proxy.close(), refusing.close()])
})

const verifier = (extra: Record<string, unknown>) =>
  createSignedPayloadVerifier({
    bundleId: sim.bundleId,
    environment: 'Sandbox',
    rootCertificates: [sim.rootCertificatePem],
    onlineChecks: true,
    ...extra,
  })

const tunnels = (log: readonly string[]): string[] =>
  log.filter((line) => / 200 tunnel open/.test(line))

describe('online checks behind a proxy', () => {
  it('ask the responder through the proxy option, for leaf and intermediate', async () => {
    const before = sim.ocsp.requests
    const tunnelsBefore = tunnels(proxy.log).length
    await expect(verifier({ proxy: proxy.url }).verify(jws)).resolves.toMatchObject({
      notificationType: 'TEST',
    })
    expect(sim.ocsp.requests - before).toBe(2)
    expect(tunnels(proxy.log).length).toBeGreaterThan(tunnelsBefore)
  })

  it('honour HTTP_PROXY, the responders being http://', async () => {
    vi.stubEnv('HTTP_PROXY', proxy.url)
    const tunnelsBefore = tunnels(proxy.log).length
    await verifier({}).verify(jws)
    expect(tunnels(proxy.log).length).toBeGreaterThan(tunnelsBefore)
  })

  it('a proxy that refuses: a retryable verification error naming it, never a pass', async () => {
    const error = await verifier({ proxy: refusing.url })
      .verify(jws)
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ kind: 'verification', retryable: true })
    expect((error as Error).message).toContain(
      `could not be reached: the proxy ${refusing.url} (from proxy) refused to open a tunnel (HTTP 403)`,
    )
  })

  it('proxy: false goes direct whatever HTTP_PROXY says', async () => {
    const untouched = await startConnectProxy({ refuse: true })
    try {
      vi.stubEnv('HTTP_PROXY', untouched.url)
      await verifier({ proxy: false }).verify(jws)
      expect(untouched.log).toEqual([])
    } finally {
      await untouched.close()
    }
  })
})
