import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../src/clock.js'
import { createDeadline } from '../src/deadline.js'
import { rejectionOf } from '../src/testing/rejections.js'
import { Transport } from '../src/transport/transport.js'

/** What a hostile or broken proxy can do to the tunnel before it opens. */
const read = {
  operation: { name: 'acme.read', label: 'Reading the acme thing' },
  method: 'GET' as const,
  path: '/thing',
  callKind: 'read' as const,
}

const servers: Server[] = []
const sockets = new Set<Socket>()
const transports: Transport[] = []
afterEach(async () => {
  for (const transport of transports.splice(0)) transport.close()
  for (const socket of sockets) socket.destroy()
  sockets.clear()
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))))
})

interface FakeProxy {
  readonly url: string
  /** Connections that the client closed, and bytes written to each. */
  readonly closed: Promise<number>
}

/** A "proxy" that answers CONNECT with `answer(socket)`, reporting when the client hangs up. */
async function fakeProxy(answer: (socket: Socket) => void): Promise<FakeProxy> {
  let closed: (bytes: number) => void = () => undefined
  const firstClosed = new Promise<number>((done) => (closed = done))
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.once('data', () => answer(socket))
    socket.on('close', () => closed(socket.bytesWritten))
  })
  servers.push(server)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, closed: firstClosed }
}

/** Headers that never end: one more line each time the socket can take it. */
function endlessHeaders(socket: Socket): void {
  socket.write('HTTP/1.1 200 Connection established\r\n')
  const line = `X-Padding: ${'a'.repeat(1000)}\r\n`
  const more = (): void => {
    while (!socket.destroyed && socket.write(line));
  }
  socket.on('drain', more)
  more()
}

function transportThrough(proxy: string): Transport {
  const made = new Transport({
    vendor: 'acme',
    baseUrl: 'https://vendor.example',
    proxy,
    proxyField: 'HTTPS_PROXY',
    retry: { maxAttempts: 1 },
    mapError: () => {
      throw new Error('no answer expected')
    },
  })
  transports.push(made)
  return made
}

describe('the tunnel through a proxy', () => {
  it('ends a CONNECT answer whose headers never end: a network error naming the proxy', async () => {
    const proxy = await fakeProxy(endlessHeaders)
    const deadline = createDeadline({ timeoutMs: 60_000 }, systemClock)
    try {
      const error = await rejectionOf(transportThrough(proxy.url).request({ ...read, deadline }))
      // `network`, not `timeout`: it ended on the size of the answer, long before the deadline.
      expect(error.kind).toBe('network')
      expect(error.message).toBe(
        `Reading the acme thing failed: the proxy's answer to CONNECT went past 16384 bytes without ending its headers (EPROXYREPLYTOOLARGE) talking to the proxy ${proxy.url} (from HTTPS_PROXY), before any tunnel to vendor.example.`,
      )
      expect(deadline.signal.aborted).toBe(false)
    } finally {
      deadline.dispose()
    }
    // The client hung up: the proxy stops there, whatever it had left to send.
    await expect(proxy.closed).resolves.toBeGreaterThan(16_384)
  })

  it('closes the connection to a proxy that never answers once the request is aborted', async () => {
    let asked: () => void = () => undefined
    const connectSent = new Promise<void>((done) => (asked = done))
    const proxy = await fakeProxy(() => asked())
    const controller = new AbortController()
    const deadline = createDeadline({ signal: controller.signal, timeoutMs: 60_000 }, systemClock)
    try {
      const pending = rejectionOf(transportThrough(proxy.url).request({ ...read, deadline }))
      await connectSent
      controller.abort()
      expect((await pending).kind).toBe('aborted')
    } finally {
      deadline.dispose()
    }
    await expect(proxy.closed).resolves.toBe(0)
  })

  it('still tunnels once the proxy answers 200 in one piece', async () => {
    const proxy = await fakeProxy((socket) => {
      socket.write('HTTP/1.1 200 Connection established\r\nProxy-Agent: test\r\n\r\n')
      // Then the "vendor" at the end of the tunnel: plain HTTP, since the target here is http.
      socket.once('data', () =>
        socket.end(
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}',
        ),
      )
    })
    const made = new Transport({
      vendor: 'acme',
      baseUrl: 'http://127.0.0.1:9',
      proxy: proxy.url,
      mapError: () => {
        throw new Error('no error expected')
      },
    })
    transports.push(made)
    const deadline = createDeadline({ timeoutMs: 10_000 }, systemClock)
    try {
      const response = await made.request({ ...read, deadline })
      expect(response.json).toEqual({ ok: true })
    } finally {
      deadline.dispose()
    }
  })
})
