import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request a test server received. */
export interface ReceivedRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

export interface VendorServer {
  readonly baseUrl: string
  /** Every request received, in order. */
  readonly received: ReceivedRequest[]
  close(): Promise<void>
}

/** A real HTTP server on 127.0.0.1 answering with `respond`, recording every request. */
export async function startVendorServer(
  respond: (request: ReceivedRequest, res: ServerResponse, index: number) => void,
): Promise<VendorServer> {
  const received: ReceivedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      received.push(request)
      respond(request, res, received.length - 1)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** What the vendor does with one request: answer (late, perhaps), or drop the connection. */
export type VendorScript =
  | {
      readonly status: number
      readonly body?: string
      readonly headers?: Readonly<Record<string, string>>
      readonly delayMs?: number
    }
  | { readonly drop: true }

/**
 * A vendor on 127.0.0.1 that answers requests in the order scripted (the last script repeats):
 * the 5xx, 429, slow answers and dropped connections a vendor can give.
 */
export function startMisbehavingVendor(scripts: readonly VendorScript[]): Promise<VendorServer> {
  return startVendorServer((_request, res, index) => {
    const script = scripts[Math.min(index, scripts.length - 1)]
    if (script === undefined || 'drop' in script) {
      res.socket?.destroy()
      return
    }
    const answer = (): void => {
      res.writeHead(script.status, { 'content-type': 'application/json', ...script.headers })
      res.end(script.body ?? '')
    }
    if (script.delayMs === undefined) answer()
    else setTimeout(answer, script.delayMs).unref()
  })
}

/** A loopback port nothing listens on: connections are refused. */
export async function refusedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
