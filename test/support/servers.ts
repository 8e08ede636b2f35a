import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { createServer as createTcpServer, type Socket } from 'node:net'

/** Listens on 127.0.0.1 (any free port) and resolves to `http://127.0.0.1:<port>`. */
export async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${String(address.port)}`
}

/** Closes an HTTP server and every connection it holds. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/**
 * Where the Apple simulator delivers TEST notifications: counts every POST by the
 * `notificationUUID` of its (unverified) payload and answers 200.
 */
export interface NotificationSink {
  readonly url: string
  /** Deliveries per notificationUUID. */
  readonly deliveries: Map<string, number>
  total(): number
  close(): Promise<void>
}

export async function startNotificationSink(): Promise<NotificationSink> {
  const deliveries = new Map<string, number>()
  let total = 0
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      total++
      try {
        const { signedPayload } = JSON.parse(body.toString('utf8')) as { signedPayload: string }
        const payload = JSON.parse(
          Buffer.from(signedPayload.split('.')[1] ?? '', 'base64url').toString('utf8'),
        ) as { notificationUUID: string }
        deliveries.set(
          payload.notificationUUID,
          (deliveries.get(payload.notificationUUID) ?? 0) + 1,
        )
      } catch {
        deliveries.set('unreadable', (deliveries.get('unreadable') ?? 0) + 1)
      }
      res.writeHead(200).end()
    })
  })
  const base = await listen(server)
  return {
    url: `${base}/notifications`,
    deliveries,
    total: () => total,
    close: () => closeServer(server),
  }
}

/** A TCP listener that only counts connections: any request meant to escape would land here. */
export interface ConnectionCounter {
  readonly port: number
  readonly host: string
  count(): number
  close(): Promise<void>
}

export async function startConnectionCounter(): Promise<ConnectionCounter> {
  let connections = 0
  const sockets = new Set<Socket>()
  const server = createTcpServer((socket) => {
    connections++
    sockets.add(socket)
    socket.destroy()
  })
  const base = await listen(server)
  const url = new URL(base)
  return {
    port: Number(url.port),
    host: url.host,
    count: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** What the proxy does to one exchange, decided when the vendor's answer is in. */
export type ProxyAction =
  | { readonly kind: 'pass' }
  /** The vendor processed the request; the answer never reaches the client. */
  | { readonly kind: 'drop-response' }
  /** The vendor processed the request; the answer comes this much later. */
  | { readonly kind: 'delay-response'; readonly ms: number }

export interface ProxyExchange {
  readonly seq: number
  /** The `/~tag` prefix of the client's base URL, if any. */
  readonly tag: string | undefined
  readonly method: string
  readonly path: string
  readonly action: ProxyAction['kind']
  /** The vendor's status (before any proxy fault). */
  readonly upstreamStatus: number | undefined
}

/**
 * An HTTP proxy in front of a simulator. It injects the faults a simulator cannot: losing or
 * delaying an answer *after* the vendor has acted on the request, which is where a careless client
 * sends a test notification twice. It also captures every credential on the wire (Authorization
 * values, client secrets, access tokens) so that the leak scans know what to look for.
 */
export interface FaultProxy {
  readonly baseUrl: string
  /** Decides each exchange's fault; default: pass everything. */
  setPolicy(policy: ((method: string, path: string) => ProxyAction) | undefined): void
  readonly exchanges: ProxyExchange[]
  /** Bearer tokens, JWTs, client secrets and access tokens seen on the wire. */
  readonly captured: Set<string>
  faultCount(): number
  close(): Promise<void>
}

const PASS: ProxyAction = { kind: 'pass' }

export interface FaultProxyOptions {
  /**
   * Pass a base URL's `/~tag` prefix on to the simulator as the query parameter `_client=tag`,
   * which its request log keeps: every request it received then names the client that sent it,
   * however late it arrived.
   */
  readonly tagQuery?: boolean
}

export async function startFaultProxy(
  upstream: string,
  options: FaultProxyOptions = {},
): Promise<FaultProxy> {
  const target = new URL(upstream)
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  const captured = new Set<string>()
  const exchanges: ProxyExchange[] = []
  const timers = new Set<NodeJS.Timeout>()
  let policy: ((method: string, path: string) => ProxyAction) | undefined
  let faults = 0
  let seq = 0

  const capture = (value: string | null | undefined): void => {
    if (value !== undefined && value !== null && value.length >= 8) captured.add(value)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req)
    const authorization = req.headers.authorization
    if (authorization !== undefined) capture(authorization.replace(/^(Bearer|Basic)\s+/i, ''))
    // A base URL may carry a `/~name` prefix, dropped here: it gives a client a base URL of its own
    // (and so rate-limit buckets of its own) while every request still reaches the one simulator.
    const raw = req.url ?? '/'
    const tag = /^\/~([A-Za-z0-9]+)(?=\/|\?|$)/.exec(raw)?.[1]
    const stripped = (tag === undefined ? raw : raw.slice(tag.length + 2)) || '/'
    const forwardPath =
      tag !== undefined && options.tagQuery === true
        ? `${stripped}${stripped.includes('?') ? '&' : '?'}_client=${tag}`
        : stripped
    const url = new URL(forwardPath, upstream)
    if (body.length > 0 && /x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
      capture(new URLSearchParams(body.toString('utf8')).get('client_secret'))
    }
    capture(url.searchParams.get('client_secret'))
    const entry = { seq: ++seq, tag, method: req.method ?? 'GET', path: url.pathname }
    // Decided on arrival, so that a passed answer can stream through as the vendor sent it
    // (a body cut short stays cut short).
    const action = policy?.(entry.method, entry.path) ?? PASS
    const upstreamRes = await new Promise<IncomingMessage | undefined>((resolve) => {
      const forward = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: forwardPath,
          headers: { ...req.headers, host: target.host },
          agent,
        },
        resolve,
      )
      forward.on('error', () => resolve(undefined))
      forward.end(body)
    })
    if (upstreamRes === undefined) {
      // The simulator dropped the connection: so does the proxy.
      exchanges.push({ ...entry, action: 'pass', upstreamStatus: undefined })
      req.socket.destroy()
      return
    }
    exchanges.push({ ...entry, action: action.kind, upstreamStatus: upstreamRes.statusCode })
    const chunks: Buffer[] = []
    const captureAnswer = (): void => {
      try {
        const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          access_token?: unknown
        }
        if (typeof answer.access_token === 'string') capture(answer.access_token)
      } catch {
        // Not JSON: nothing to capture.
      }
    }
    if (action.kind === 'pass') {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
      upstreamRes.on('data', (chunk: Buffer) => {
        chunks.push(chunk)
        res.write(chunk)
      })
      upstreamRes.on('end', () => {
        captureAnswer()
        res.end()
      })
      upstreamRes.on('close', () => {
        if (!upstreamRes.complete) req.socket.destroy()
      })
      return
    }
    try {
      for await (const chunk of upstreamRes) chunks.push(chunk as Buffer)
    } catch {
      req.socket.destroy()
      return
    }
    captureAnswer()
    faults++
    if (action.kind === 'drop-response') {
      req.socket.destroy()
      return
    }
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (res.destroyed) return
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
      res.end(Buffer.concat(chunks))
    }, action.ms)
    timers.add(timer)
    res.once('close', () => {
      clearTimeout(timer)
      timers.delete(timer)
    })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy())
  })
  const baseUrl = await listen(server)
  return {
    baseUrl,
    setPolicy: (next) => {
      policy = next
    },
    exchanges,
    captured,
    faultCount: () => faults,
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      await closeServer(server)
      agent.destroy()
    },
  }
}
