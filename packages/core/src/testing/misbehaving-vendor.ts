import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the vendor does with one request: answer (late, perhaps), or drop the connection. */
export type VendorScript =
  | {
      readonly status: number
      readonly body?: string
      readonly headers?: Readonly<Record<string, string>>
      readonly delayMs?: number
    }
  | { readonly drop: true }

export interface MisbehavingVendor {
  readonly baseUrl: string
  /** Every request received, in order. */
  readonly hits: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[]
  close(): Promise<void>
}

/**
 * A real HTTP server on 127.0.0.1 that answers requests in the order scripted (the last script
 * repeats): the 5xx, 429, slow answers and dropped connections a vendor can give.
 */
export async function startMisbehavingVendor(
  scripts: readonly VendorScript[],
): Promise<MisbehavingVendor> {
  const hits: MisbehavingVendor['hits'] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      const script = scripts[Math.min(hits.length - 1, scripts.length - 1)]
      if (script === undefined || 'drop' in script) {
        req.socket.destroy()
        return
      }
      const answer = (): void => {
        res.writeHead(script.status, { 'content-type': 'application/json', ...script.headers })
        res.end(script.body ?? '')
      }
      if (script.delayMs === undefined) answer()
      else setTimeout(answer, script.delayMs).unref()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A loopback port nothing listens on: connections are refused. */
export async function refusedPort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
