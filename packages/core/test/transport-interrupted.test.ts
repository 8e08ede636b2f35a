import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../src/clock.js'
import { createDeadline } from '../src/deadline.js'
import type { NotificationTestError } from '../src/error.js'
import { RateLimiter } from '../src/rate-limiter.js'
import { rejectionOf } from '../src/testing/rejections.js'
import { Transport, type TransportOptions } from '../src/transport/transport.js'

/**
 * An interrupted send says "the vendor may still have received the request" only when the request
 * could have left: its socket was connected. Interrupted earlier, it says nothing of the kind.
 */
const send = {
  operation: { name: 'acme.send', label: 'Sending the acme test' },
  method: 'POST' as const,
  path: '/send',
  callKind: 'send' as const,
  json: {},
}
const MAY_HAVE = 'acme may still have received the request.'

const servers: Server[] = []
const sockets = new Set<Socket>()
const transports: Transport[] = []
afterEach(async () => {
  for (const transport of transports.splice(0)) transport.close()
  for (const socket of sockets) socket.destroy()
  sockets.clear()
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))))
})

/** A TCP server that accepts connections and never says a word (nor completes a TLS handshake). */
async function silentServer(onData?: () => void): Promise<string> {
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('data', () => onData?.())
  })
  servers.push(server)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return `127.0.0.1:${(server.address() as AddressInfo).port}`
}

function transport(options: Partial<TransportOptions> & { baseUrl: string }): Transport {
  const made = new Transport({
    vendor: 'acme',
    mapError: () => {
      throw new Error('no answer expected')
    },
    ...options,
  })
  transports.push(made)
  return made
}

/** The send, aborted by its caller once `ready` resolves. */
async function abortedSend(
  target: Transport,
  ready: Promise<void>,
  extra: object = {},
): Promise<NotificationTestError> {
  const controller = new AbortController()
  const deadline = createDeadline({ signal: controller.signal, timeoutMs: 30_000 }, systemClock)
  const pending = rejectionOf(target.request({ ...send, ...extra, deadline }))
  await ready
  controller.abort()
  try {
    return await pending
  } finally {
    deadline.dispose()
  }
}

describe('an interrupted send', () => {
  it('written to a connected vendor: the vendor may have it', async () => {
    let received: () => void = () => undefined
    const arrived = new Promise<void>((done) => (received = done))
    const host = await silentServer(() => received())
    const error = await abortedSend(transport({ baseUrl: `http://${host}` }), arrived)
    expect(error.kind).toBe('aborted')
    expect(error.message).toBe(`Sending the acme test was aborted by the caller. ${MAY_HAVE}`)
  })

  it('still in its TLS handshake: nothing was sent, and it does not say otherwise', async () => {
    let connected: () => void = () => undefined
    const handshaking = new Promise<void>((done) => (connected = done))
    const host = await silentServer(() => connected())
    const error = await abortedSend(
      transport({ baseUrl: `https://${host.replace('127.0.0.1', 'localhost')}` }),
      handshaking,
    )
    expect(error.kind).toBe('aborted')
    expect(error.message).toBe('Sending the acme test was aborted by the caller.')
  })

  it('waiting for a proxy that never opens the tunnel: nothing was sent', async () => {
    let asked: () => void = () => undefined
    const connecting = new Promise<void>((done) => (asked = done))
    const proxy = await silentServer(() => asked())
    const error = await abortedSend(
      transport({ baseUrl: 'https://vendor.example', proxy: `http://${proxy}` }),
      connecting,
    )
    expect(error.message).toBe('Sending the acme test was aborted by the caller.')
  })

  it('waiting for its rate-limit slot: nothing was sent', async () => {
    const limiter = new RateLimiter(systemClock)
    const rateLimit = { key: 'send', limit: { perSecond: 0.1, burst: 1 } }
    limiter.reserve(rateLimit.key, rateLimit.limit)
    const host = await silentServer()
    const error = await abortedSend(
      transport({ baseUrl: `http://${host}`, rateLimiter: limiter }),
      new Promise((done) => setTimeout(done, 50)),
      { rateLimit },
    )
    expect(error.message).toBe('Sending the acme test was aborted by the caller.')
  })
})
