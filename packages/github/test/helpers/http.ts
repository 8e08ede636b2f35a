import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Answer {
  readonly status: number
  readonly body: string
  readonly headers: IncomingMessage['headers']
}

/** A real HTTP server on 127.0.0.1; `close()` also ends open connections. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer((req, res) => void handler(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * Sends a request. `body` may be a string, or a function that writes to the request and never
 * ends it (a slow or endless client). Resolves with the answer, or with the socket error when the
 * server cut the connection first.
 */
export function send(
  url: string,
  options: {
    method?: string
    headers?: Record<string, string | number>
    body?: string | Buffer | ((write: (chunk: Buffer | string) => boolean) => void)
  },
): Promise<Answer | { readonly error: string }> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: options.method ?? 'POST', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            headers: res.headers,
          }),
        )
        res.on('error', (error) =>
          resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }),
        )
      },
    )
    req.on('error', (error) =>
      resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }),
    )
    const { body } = options
    if (typeof body === 'function') {
      req.flushHeaders()
      body((chunk) => req.write(chunk))
    } else req.end(body)
  })
}
