import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { usageError } from '../errors.js'

export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  readonly port: number
  /**
   * Stops accepting, lets answers in flight finish (a second at most), ends every connection, and
   * resolves when closed.
   */
  close(): Promise<void>
}

/**
 * An HTTP server on `host:port` (port 0: any free one). A port in use is bad input, said so by
 * naming the option, rather than an unexplained EADDRINUSE.
 */
export async function startHttpServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: { host: string; port: number; option: string; operation: string },
): Promise<LocalServer> {
  const server: Server = createServer(handler)
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const why =
        error.code === 'EADDRINUSE'
          ? `port ${options.port} on ${options.host} is already in use; pick another or 0 for any free port`
          : error.code === 'EACCES'
            ? `not allowed to listen on ${options.host}:${options.port}`
            : `cannot listen on ${options.host}:${options.port} (${error.code ?? error.message})`
      reject(
        usageError(`${options.option}: ${why}.`, { operation: options.operation, kind: 'config' }),
      )
    }
    server.once('error', onError)
    server.listen(options.port, options.host, () => {
      server.off('error', onError)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  let closing: Promise<void> | undefined
  return {
    origin: `http://${host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Keep-alive connections go as soon as they are idle; a response still being written
        // (a notification acknowledged just now) is allowed to finish.
        const sweep = setInterval(() => server.closeIdleConnections(), 20)
        const force = setTimeout(() => server.closeAllConnections(), 1000)
        server.close(() => {
          clearInterval(sweep)
          clearTimeout(force)
          resolve()
        })
        server.closeIdleConnections()
      })
      return closing
    },
  }
}

/** The request body as text, at most `limit` bytes. */
export async function readRequestBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > limit) throw new Error(`request body over ${limit} bytes`)
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
