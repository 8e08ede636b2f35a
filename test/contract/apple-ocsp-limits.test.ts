import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { createSignedPayloadVerifier } from '@notiprobe/apple'
import { FakeClock, rejectionOf } from '@notiprobe/core/testing'
import { startAppleSimulator, type AppleSimulator } from '@notiprobe/simulator'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closeServer, listen } from '../support/servers.js'

/**
 * The limits of an OCSP query: its timeout runs on the verifier's clock, and an answer past 64 KiB
 * is refused as too large. The responder here misbehaves on purpose; it is reached as a proxy
 * that opens every tunnel onto itself, so the certificates' own responder URL is used unchanged.
 */
let sim: AppleSimulator
let jws: string
let responder: Server
let proxyUrl: string
let answer: (req: IncomingMessage, res: ServerResponse) => void
/** Queries received so far; `arrived(n)` resolves once n have come. */
let queries = 0
let waiting: { count: number; resolve: () => void }[] = []

beforeAll(async () => {
  sim = await startAppleSimulator({ rateLimits: 'off' })
  jws = await sim.signNotification({ notificationType: 'TEST' })
  responder = createServer((req, res) => {
    queries++
    for (const wait of waiting.filter((w) => queries >= w.count)) wait.resolve()
    waiting = waiting.filter((w) => queries < w.count)
    answer(req, res)
  })
  responder.on('connect', (_req: IncomingMessage, client: Socket) => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    responder.emit('connection', client)
  })
  proxyUrl = await listen(responder)
})

afterEach(() => {
  responder.closeAllConnections()
})

afterAll(async () => {
  await Promise.all([sim.close(), closeServer(responder)])
})

const arrived = (count: number): Promise<void> =>
  queries >= count ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve }))

const verifier = (clock: FakeClock, timeoutMs: number) =>
  createSignedPayloadVerifier({
    bundleId: sim.bundleId,
    environment: 'Sandbox',
    rootCertificates: [sim.rootCertificatePem],
    onlineChecks: { timeoutMs },
    proxy: proxyUrl,
    clock,
  })

describe('OCSP query limits', () => {
  it('a responder that never answers fails at timeoutMs on the injected clock', async () => {
    answer = () => undefined
    const clock = new FakeClock({ start: Date.now() })
    const before = queries
    const verifying = rejectionOf(verifier(clock, 60_000).verify(jws))
    // Both queries (leaf, intermediate) are out; only the clock's time passes, never real time.
    await arrived(before + 2)
    clock.advance(60_000)
    const error = await verifying
    expect(error).toMatchObject({ kind: 'verification', retryable: true })
    expect(error.message).toContain('did not answer within 60000 ms')
  })

  it('an answer past 64 KiB is refused as too large, not as unreachable', async () => {
    let sent = 0
    answer = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/ocsp-response' })
      // Endless unless the client stops reading: 16 MiB at most, so a broken bound still ends.
      const more = (): void => {
        while (sent < 16 * 1024 * 1024 && !res.destroyed) {
          sent += 16 * 1024
          if (!res.write(Buffer.alloc(16 * 1024, 0x30))) {
            res.once('drain', more)
            return
          }
        }
        res.end()
      }
      more()
    }
    const error = await rejectionOf(
      verifier(new FakeClock({ start: Date.now() }), 10_000).verify(jws),
    )
    expect(error).toMatchObject({ kind: 'verification', retryable: true })
    expect(error.message).toContain('sent an answer too large (over 65536 bytes)')
    expect(error.message).not.toContain('could not be reached')
    expect(sent).toBeLessThan(16 * 1024 * 1024)
  })
})
