import { randomUUID } from 'node:crypto'
import { readRequestBody, startHttpServer, type LocalServer } from './http-server.js'

/** A Get Retention Message endpoint for the performance test: answers at once, counts requests. */
export interface RealtimeEndpoint extends LocalServer {
  /** The URL to give Apple (or the simulator) as the realtime URL. */
  readonly url: string
  /** Requests answered so far. */
  readonly answered: number
}

/**
 * Answers every POST that carries a `signedPayload` with a retention message, as an app's server
 * would (`{"message": {"messageIdentifier": ...}}`), and anything else with 400.
 */
export async function startRealtimeEndpoint(options: {
  host?: string
  port?: number
  operation: string
}): Promise<RealtimeEndpoint> {
  const messageIdentifier = randomUUID()
  let answered = 0
  const server = await startHttpServer(
    (req, res) => {
      void (async () => {
        let body: unknown
        try {
          body = JSON.parse(await readRequestBody(req, 64 * 1024))
        } catch {
          body = undefined
        }
        const ok =
          req.method === 'POST' &&
          typeof body === 'object' &&
          body !== null &&
          typeof (body as { signedPayload?: unknown }).signedPayload === 'string'
        res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify(
            ok ? { message: { messageIdentifier } } : { error: 'expected {signedPayload}' },
          ),
        )
        if (ok) answered++
      })()
    },
    {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      option: 'realtime endpoint',
      operation: options.operation,
    },
  )
  return {
    ...server,
    url: `${server.origin}/retention`,
    get answered() {
      return answered
    },
  }
}
