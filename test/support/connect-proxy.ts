import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import { connect, type Socket } from 'node:net'
import { listen } from './servers.js'

/**
 * TEST SCAFFOLDING, not product code: a forward proxy on 127.0.0.1 that only tunnels (CONNECT),
 * as corporate proxies do, and keeps its own log of each tunnel. Optionally it demands Basic
 * credentials (407 without them) or refuses every tunnel (403). It logs whether credentials came
 * and were right, never what they were.
 */
export interface ConnectProxy {
  /** `http://127.0.0.1:<port>`, or `https://` when it serves TLS. */
  readonly url: string
  /** One line per CONNECT: `CONNECT 127.0.0.1:5000 200 tunnel open`, `... closed (n bytes up, m down)`. */
  readonly log: string[]
  /** The `Proxy-Authorization` values received: for tests that prove what was sent. */
  readonly authorizations: string[]
  close(): Promise<void>
}

export interface ConnectProxyOptions {
  /** Demand `Proxy-Authorization: Basic base64(user:password)`. */
  readonly credentials?: { readonly user: string; readonly password: string }
  /** Answer every CONNECT 403. */
  readonly refuse?: boolean
  /** Serve TLS with this certificate and key (PEM): an `https://` proxy. */
  readonly tls?: { readonly cert: string; readonly key: string }
}

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const log: string[] = []
  const authorizations: string[] = []
  const sockets = new Set<Socket>()
  const expected =
    options.credentials === undefined
      ? undefined
      : `Basic ${Buffer.from(`${options.credentials.user}:${options.credentials.password}`).toString('base64')}`
  const refuseRequest = (req: IncomingMessage, res: ServerResponse): void => {
    // Plain requests would carry the vendor's Authorization header in clear: never served here.
    log.push(`${req.method ?? '?'} ${req.url ?? ''} 405 only CONNECT is served`)
    res.writeHead(405).end()
  }
  const server =
    options.tls === undefined
      ? createServer(refuseRequest)
      : createTlsServer({ cert: options.tls.cert, key: options.tls.key }, refuseRequest)
  server.on(options.tls === undefined ? 'connection' : 'secureConnection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? ''
    const given = req.headers['proxy-authorization']
    if (given !== undefined) authorizations.push(given)
    const auth =
      given === undefined
        ? 'no credentials'
        : given === expected
          ? 'credentials ok'
          : 'wrong credentials'
    if (options.refuse === true) {
      log.push(`CONNECT ${target} 403 refused by policy (${auth})`)
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
      return
    }
    if (expected !== undefined && given !== expected) {
      log.push(`CONNECT ${target} 407 proxy authentication required (${auth})`)
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n',
      )
      return
    }
    const [host, port] = splitTarget(target)
    const upstream = connect(port, host, () => {
      log.push(`CONNECT ${target} 200 tunnel open (${auth})`)
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      client.pipe(upstream)
      upstream.pipe(client)
    })
    sockets.add(upstream)
    let up = head.length
    let down = 0
    client.on('data', (chunk: Buffer) => (up += chunk.length))
    upstream.on('data', (chunk: Buffer) => (down += chunk.length))
    upstream.on('close', () => {
      sockets.delete(upstream)
      log.push(`CONNECT ${target} closed (${String(up)} bytes up, ${String(down)} down)`)
      client.destroy()
    })
    upstream.on('error', () => {
      log.push(`CONNECT ${target} 502 upstream unreachable`)
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n')
    })
    client.on('error', () => upstream.destroy())
    client.on('close', () => upstream.destroy())
  })
  const url = await listen(server)
  return {
    url: options.tls === undefined ? url : url.replace(/^http:/, 'https:'),
    log,
    authorizations,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

function splitTarget(target: string): [string, number] {
  const colon = target.lastIndexOf(':')
  return [target.slice(0, colon).replace(/^\[|\]$/g, ''), Number(target.slice(colon + 1))]
}
