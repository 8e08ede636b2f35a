import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { sendText } from './http-io.js'
import type { ServerTls } from './loopback-tls.js'

export { BodyTooLargeError, readBody, sendEmpty, sendJson, sendText } from './http-io.js'

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>

export interface LoopbackServerOptions {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number
  /** Must be a loopback address: the simulators never listen where the network can reach them. */
  host?: string
  /** Serve HTTPS with this certificate and key (see `createLoopbackTls`); plain HTTP otherwise. */
  tls?: ServerTls | undefined
}

export interface LoopbackServer {
  server: Server
  /** `http://127.0.0.1:<port>` (`https://` with `tls`), no trailing slash. */
  baseUrl: string
  port: number
  /** Stops listening and destroys every open socket, keep-alive ones included. */
  close(): Promise<void>
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost'])

function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host)
}

/**
 * Starts an HTTP server on loopback. A handler that throws gets a plain 500 (or the error's own
 * `status`, e.g. 413 from `readBody`) instead of a hung request, so a simulator bug shows up as a
 * failed test rather than a timeout.
 */
export async function startLoopbackServer(
  handler: RequestHandler,
  options: LoopbackServerOptions = {},
): Promise<LoopbackServer> {
  const host = options.host ?? '127.0.0.1'
  if (!isLoopback(host)) {
    throw new Error(`simulator host must be a loopback address, got ${JSON.stringify(host)}`)
  }
  const sockets = new Set<Socket>()
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        const status = statusOf(error)
        const text = status !== 500 && error instanceof Error ? error.message : 'simulator error'
        sendText(res, status, text, { connection: 'close' })
      })
  }
  const server: Server =
    options.tls === undefined
      ? createServer(listener)
      : createTlsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
  // A TLS server's 'connection' is the raw socket too: destroying it ends the TLS session.
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const urlHost = host.includes(':') ? `[${host}]` : host
  let closing: Promise<void> | undefined
  return {
    server,
    port,
    baseUrl: `${options.tls === undefined ? 'http' : 'https'}://${urlHost}:${String(port)}`,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        for (const socket of sockets) socket.destroy()
        server.closeAllConnections()
      })
      return closing
    },
  }
}

function statusOf(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const { status } = error
    if (typeof status === 'number' && status >= 400 && status <= 599) return status
  }
  return 500
}
