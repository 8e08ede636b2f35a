import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock, type Clock } from '../src/clock.js'
import { createDeadline } from '../src/deadline.js'
import { NotificationTestError } from '../src/error.js'
import { kindForHttpStatus } from '../src/error-kind.js'
import type { Operation } from '../src/operations.js'
import { RateLimiter } from '../src/rate-limiter.js'
import { FakeClock } from '../src/testing/fake-clock.js'
import {
  refusedPort,
  startMisbehavingVendor as startScriptedServer,
  type VendorServer as ScriptedServer,
  type VendorScript as Script,
} from '../src/testing/misbehaving-vendor.js'
import { rejectionOf as failure } from '../src/testing/rejections.js'
import { Transport, type RequestSpec, type TransportOptions } from '../src/transport/transport.js'
import type { VendorResponse } from '../src/transport/vendor-response.js'
import type { CallOptions } from '../src/types.js'
import { VERSION } from '../src/version.js'

// Vendor-style mapping: a JSON {code} body; code 9 means "the vendor says retry".
function mapError(response: VendorResponse, operation: Operation): NotificationTestError {
  const code = (response.json as { code?: number } | undefined)?.code
  return new NotificationTestError({
    vendor: 'acme',
    operation: operation.name,
    kind: kindForHttpStatus(response.status),
    message: `acme answered ${response.status}`,
    httpStatus: response.status,
    vendorCode: code,
    retryable: response.status === 429 || code === 9,
    retryAfterMs: response.retryAfterMs,
  })
}

let server: ScriptedServer | undefined
let transport: Transport | undefined
/** Every transport a test made, closed after it with the server. */
const opened: Transport[] = []
afterEach(async () => {
  const closing = server?.close()
  server = undefined
  for (const made of opened.splice(0)) made.close()
  await closing
})

async function setup(scripts: Script[]) {
  server = await startScriptedServer(scripts)
  const clock = manualClock()
  transport = makeTransport({
    vendor: 'acme',
    baseUrl: server.baseUrl,
    mapError,
    clock,
    random: () => 0.5,
  })
  return { server, clock, transport }
}

const read = {
  operation: { name: 'acme.read', label: 'acme.read' },
  method: 'GET' as const,
  path: '/thing',
  callKind: 'read' as const,
}
const send = {
  operation: { name: 'acme.send', label: 'acme.send' },
  method: 'POST' as const,
  path: '/send',
  callKind: 'send' as const,
  json: {},
}

const clocks = new WeakMap<Transport, Clock>()

/** A transport whose calls `call` makes against deadlines on its own clock. */
function makeTransport(options: TransportOptions): Transport {
  const made = new Transport(options)
  clocks.set(made, options.clock ?? systemClock)
  opened.push(made)
  return made
}

/** One public call: its deadline made from `signal` and `timeoutMs` (30 s by default). */
async function call(
  target: Transport,
  spec: Omit<RequestSpec, 'deadline'> & CallOptions,
): Promise<VendorResponse> {
  const { signal, timeoutMs, ...rest } = spec
  const deadline = createDeadline({ signal, timeoutMs }, clocks.get(target) ?? systemClock, 30_000)
  try {
    return await target.request({ ...rest, deadline })
  } finally {
    deadline.dispose()
  }
}

/** The manual clock these tests use: sleeps advance it, deadlines run on real timers. */
function manualClock(): FakeClock {
  return new FakeClock({ start: Date.parse('2026-11-22T12:00:00Z'), timers: 'real' })
}

describe('Transport', () => {
  it('returns a 2xx answer with parsed JSON, sending User-Agent and per-attempt headers', async () => {
    const { server, transport } = await setup([{ status: 200, body: '{"ok":true}' }])
    let made = 0
    const response = await call(transport, {
      ...read,
      query: { a: 1, skipped: undefined },
      headers: () => ({ Authorization: `Bearer t${++made}` }),
    })
    expect(response.status).toBe(200)
    expect(response.json).toEqual({ ok: true })
    expect(server.received[0].url).toBe('/thing?a=1')
    expect(server.received[0].headers['user-agent']).toBe(`notiprobe/${VERSION}`)
    expect(server.received[0].headers.authorization).toBe('Bearer t1')
  })

  it('retries a read on 503 with full-jitter backoff, fresh headers each attempt', async () => {
    const { server, clock, transport } = await setup([
      { status: 503 },
      { status: 503 },
      { status: 200, body: '{}' },
    ])
    let made = 0
    await call(transport, { ...read, headers: () => ({ 'X-Attempt': String(++made) }) })
    expect(server.received.map((hit) => hit.headers['x-attempt'])).toEqual(['1', '2', '3'])
    // random 0.5 of 200 * 2^0 and 200 * 2^1
    expect(clock.sleeps).toEqual([100, 200])
  })

  it('never retries a send on a plain 500', async () => {
    const { server, transport } = await setup([
      { status: 500, body: '{"code":1}' },
      { status: 200 },
    ])
    const error = await failure(call(transport, send))
    expect(server.received).toHaveLength(1)
    expect(error.kind).toBe('vendor_error')
    expect(error.retryable).toBe(false)
  })

  it('retries a send when the vendor says it may (code 9), and on 429 after Retry-After', async () => {
    const { server, clock, transport } = await setup([
      { status: 500, body: '{"code":9}' },
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 200, body: '{}' },
    ])
    await call(transport, send)
    expect(server.received).toHaveLength(3)
    expect(clock.sleeps).toEqual([100, 3000])
  })

  it('never retries a send after a dropped connection, and says so', async () => {
    const { server, transport } = await setup([{ drop: true }, { status: 200 }])
    const error = await failure(call(transport, send))
    expect(server.received).toHaveLength(1)
    expect(error.kind).toBe('network')
    expect(error.retryable).toBe(false)
    expect(error.message).toMatch(
      /^acme\.send failed: .* talking to 127\.0\.0\.1:\d+\. The request may have reached acme; it was not repeated so that no duplicate test notification is sent\. Check for it before sending again\.$/,
    )
  })

  it('retries a read after a dropped connection', async () => {
    const { server, transport } = await setup([{ drop: true }, { status: 200, body: '{}' }])
    await call(transport, read)
    expect(server.received).toHaveLength(2)
  })

  it('retries a send whose connection was refused (it never left), up to maxAttempts', async () => {
    const port = await refusedPort()
    const lines: string[] = []
    transport = makeTransport({
      vendor: 'acme',
      baseUrl: `http://127.0.0.1:${port}`,
      mapError,
      clock: manualClock(),
      random: () => 0,
      logger: { debug: (line) => lines.push(line) },
    })
    const error = await failure(call(transport, send))
    expect(error.kind).toBe('network')
    expect(error.message).toBe(
      `acme.send failed: the connection was refused (ECONNREFUSED) talking to 127.0.0.1:${port}.`,
    )
    expect(error.retryable).toBe(true)
    expect(lines.filter((line) => line.startsWith('→ POST'))).toHaveLength(4)
  })

  it('gives up when Retry-After is beyond the cap, reporting the wait', async () => {
    const { server, transport } = await setup([{ status: 429, headers: { 'retry-after': '120' } }])
    const error = await failure(call(transport, read))
    expect(server.received).toHaveLength(1)
    expect(error.kind).toBe('rate_limited')
    expect(error.retryAfterMs).toBe(120_000)
    expect(error.message).toBe(
      'acme answered 429 That wait (120 s) is longer than the 60 s notiprobe waits for a retry, so it gave up: try again later.',
    )
  })

  it('holds later calls on the same endpoint back after a 429', async () => {
    const { clock, transport } = await setup([
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 200 },
    ])
    const rateLimit = { key: 'thing', limit: { perSecond: 100 } }
    await call(transport, { ...read, rateLimit })
    expect(clock.sleeps).toEqual([2000])
  })

  it('holds the endpoint back after any rate-limit answer, GitHub-style 403 too', async () => {
    server = await startScriptedServer([
      { status: 403, headers: { 'retry-after': '120' }, body: '{"code":"rate"}' },
      { status: 200 },
    ])
    const clock = manualClock()
    transport = makeTransport({
      vendor: 'acme',
      baseUrl: server.baseUrl,
      clock,
      mapError: (response, operation) =>
        new NotificationTestError({
          vendor: 'acme',
          operation: operation.name,
          kind: 'rate_limited',
          message: `acme answered ${response.status}`,
          httpStatus: response.status,
          retryAfterMs: response.retryAfterMs,
        }),
    })
    const rateLimit = { key: 'thing', limit: { perSecond: 100 } }
    await failure(call(transport, { ...read, rateLimit }))
    const held = await failure(call(transport, { ...read, rateLimit, timeoutMs: 5000 }))
    expect(held).toMatchObject({ kind: 'rate_limited', retryAfterMs: 120_000 })
    expect(held.message).toBe(
      "acme.read was not sent: acme rate limited an earlier call on this endpoint and asked to wait until 2026-11-22T12:02:00.000Z, past this call's deadline. Call again after that.",
    )
    expect(server.received).toHaveLength(1)
  })

  it('spaces calls by the endpoint rate limit', async () => {
    server = await startScriptedServer([{ status: 200 }])
    const clock = manualClock()
    transport = makeTransport({
      vendor: 'acme',
      baseUrl: server.baseUrl,
      mapError,
      clock,
      rateLimiter: new RateLimiter(clock),
    })
    const rateLimit = { key: 'status', limit: { perSecond: 0.1 } }
    await call(transport, { ...read, rateLimit })
    await call(transport, { ...read, rateLimit })
    expect(clock.sleeps).toEqual([10_000])
  })

  it('ends a slow call at its deadline with kind timeout, and a send is not repeated', async () => {
    const { server, transport } = await setup([{ status: 200, delayMs: 2000 }])
    const error = await failure(call(transport, { ...send, timeoutMs: 50 }))
    expect(error.kind).toBe('timeout')
    expect(error.message).toBe(
      'acme.send did not finish within 50 ms. acme may still have received the request. Raise timeoutMs or try again later.',
    )
    expect(server.received).toHaveLength(1)
  })

  it('ends a call when the caller aborts, with kind aborted', async () => {
    const { transport } = await setup([{ status: 200, delayMs: 2000 }])
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)
    const error = await failure(call(transport, { ...read, signal: controller.signal }))
    expect(error.kind).toBe('aborted')
    expect(error.message).toBe('acme.read was aborted by the caller.')
  })

  it('ends a backoff wait when the caller aborts', async () => {
    server = await startScriptedServer([{ status: 503 }])
    const controller = new AbortController()
    transport = makeTransport({
      vendor: 'acme',
      baseUrl: server.baseUrl,
      mapError,
      random: () => 0.999,
      retry: { baseDelayMs: 5000 },
    })
    setTimeout(() => controller.abort(), 100)
    const error = await failure(call(transport, { ...read, signal: controller.signal }))
    expect(error.kind).toBe('aborted')
    expect(server.received).toHaveLength(1)
  })

  it('does not start a backoff that would outlive the deadline', async () => {
    const { server, transport } = await setup([{ status: 503 }])
    const error = await failure(call(transport, { ...read, timeoutMs: 50 }))
    // manual clock: backoff 100 ms > 50 ms left, so the 503 itself is reported.
    expect(error.kind).toBe('vendor_error')
    expect(error.httpStatus).toBe(503)
    expect(error.retryable).toBe(true)
    expect(server.received).toHaveLength(1)
  })

  it('does not follow redirects (credentials stay with the configured host)', async () => {
    const { server, transport } = await setup([
      { status: 302, headers: { location: 'http://127.0.0.2:1/steal' } },
    ])
    const error = await failure(call(transport, read))
    expect(error.httpStatus).toBe(302)
    expect(server.received).toHaveLength(1)
  })

  it('types non-JSON error bodies by status', async () => {
    const { transport } = await setup([
      { status: 502, body: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } },
    ])
    const error = await failure(call(transport, { ...send }))
    expect(error.kind).toBe('vendor_error')
    expect(error.httpStatus).toBe(502)
  })

  it('refuses non-loopback http and paths that leave the host, before any request', () => {
    expect(() =>
      makeTransport({ vendor: 'acme', baseUrl: 'http://example.com', mapError }),
    ).toThrow('baseUrl must use https; http is allowed only on loopback')
    const local = makeTransport({ vendor: 'acme', baseUrl: 'https://api.example.com', mapError })
    return expect(call(local, { ...read, path: '@evil.com/x' })).rejects.toThrow(
      'Refused to send acme.read outside https://api.example.com.',
    )
  })

  it('refuses a path that would make the URL itself invalid with its own error, not a TypeError', async () => {
    const local = makeTransport({ vendor: 'acme', baseUrl: 'https://api.example.com', mapError })
    for (const path of [':99999/x', ':port']) {
      const error = await failure(call(local, { ...read, path }))
      expect(error).toMatchObject({
        kind: 'invalid_input',
        message: 'Refused to send acme.read outside https://api.example.com.',
      })
    }
  })
})

describe('Transport and the rate limiter together', () => {
  it('reports the real failure instead of waiting past the deadline for a retry slot', async () => {
    const port = await refusedPort()
    const clock = manualClock()
    transport = makeTransport({
      vendor: 'acme',
      baseUrl: `http://127.0.0.1:${port}`,
      mapError,
      clock,
      random: () => 0,
    })
    const rateLimit = { key: 'send', limit: { perSecond: 0.1 } }
    const error = await failure(call(transport, { ...send, rateLimit, timeoutMs: 5000 }))
    expect(error.kind).toBe('network')
    expect(error.message).toContain('(ECONNREFUSED)')
    // One zero backoff (random 0), then the 10 s slot is past the deadline: no wait.
    expect(clock.sleeps).toEqual([0])
  })

  it('fails at once, sending nothing, when the first slot is past the deadline', async () => {
    const { server, clock, transport } = await setup([{ status: 200 }])
    const rateLimit = { key: 'status', limit: { perSecond: 0.1 } }
    await call(transport, { ...read, rateLimit })
    const error = await failure(call(transport, { ...read, rateLimit, timeoutMs: 5000 }))
    expect(error.kind).toBe('timeout')
    expect(error.message).toBe(
      "acme.read would have to wait 10 s for acme's rate limit on this endpoint, past the call's deadline; nothing was sent. Raise timeoutMs or call again later.",
    )
    expect(server.received).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })
})

describe.each(['whole', 'stream'] as const)(
  'Transport reading response bodies (%s)',
  (bodyRead) => {
    const readOne = { ...read, bodyRead }
    const sendOne = { ...send, bodyRead }

    /** A server whose handler writes the response itself; `closed` counts connections that closed. */
    async function startServer(handler: http.RequestListener) {
      let closed = 0
      let opened = 0
      const raw = http.createServer(handler)
      raw.on('connection', (socket) => {
        opened++
        socket.on('close', () => closed++)
      })
      await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve))
      const { port } = raw.address() as AddressInfo
      server = {
        baseUrl: `http://127.0.0.1:${port}`,
        received: [],
        close: () =>
          new Promise((resolve) => {
            raw.closeAllConnections()
            raw.close(() => resolve())
          }),
      }
      transport = makeTransport({
        vendor: 'acme',
        baseUrl: server.baseUrl,
        mapError,
        maxResponseBytes: 1024,
        retry: { maxAttempts: 1 },
      })
      return { transport, closed: () => closed, opened: () => opened }
    }

    it('refuses a body over maxResponseBytes with invalid_response, dropping the connection at once', async () => {
      let requests = 0
      const { transport, closed } = await startServer((_req, res) => {
        requests++
        res.writeHead(200, { 'content-type': 'application/json' })
        // 2 KiB, then the body never ends: only the limit can end this call before its deadline.
        res.write(`{"pad":"${'x'.repeat(2048)}`)
      })
      const started = performance.now()
      const error = await failure(call(transport, { ...readOne, timeoutMs: 10_000 }))
      expect(performance.now() - started).toBeLessThan(5_000)
      expect(error.kind).toBe('invalid_response')
      expect(error.message).toMatch(
        /^acme\.read failed: the response was larger than allowed \(ERR_BAD_RESPONSE\) talking to 127\.0\.0\.1:\d+\.$/,
      )
      expect(error.retryable).toBe(false)
      expect(error.httpStatus).toBeUndefined()
      expect(requests).toBe(1)
      await expect.poll(closed).toBe(1)
    })

    it('accepts a body of exactly maxResponseBytes, and keeps the connection', async () => {
      const body = JSON.stringify({ pad: 'x'.repeat(1024 - 10) })
      expect(Buffer.byteLength(body)).toBe(1024)
      const { transport, closed } = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(body)
      })
      const first = await call(transport, readOne)
      expect(first.body).toBe(body)
      await call(transport, readOne)
      expect(closed()).toBe(0)
    })

    it('drains an answer without a body (204, Content-Length: 0) and reuses its connection', async () => {
      let requests = 0
      const { transport, closed, opened } = await startServer((_req, res) => {
        requests++
        if (requests % 2 === 1) res.writeHead(204).end()
        else res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' }).end()
      })
      for (let i = 0; i < 4; i++) {
        const response = await call(transport, readOne)
        expect(response.status).toBe(i % 2 === 0 ? 204 : 200)
        expect(response.body).toBe('')
        expect(response.json).toBeUndefined()
      }
      // An undrained answer would hold its socket, and each call would open another.
      expect(opened()).toBe(1)
      expect(closed()).toBe(0)
    })

    it('decodes UTF-8 split across chunks, and drops a byte order mark', async () => {
      const { transport } = await startServer((_req, res) => {
        const text = Buffer.from('\uFEFF{"name":"Zoë ✓"}')
        res.writeHead(200, { 'content-type': 'application/json' })
        // Cut inside the BOM and inside the two multi-byte characters.
        res.write(text.subarray(0, 1))
        setTimeout(() => res.write(text.subarray(1, 13)), 5)
        setTimeout(() => res.write(text.subarray(13, 17)), 10)
        setTimeout(() => res.end(text.subarray(17)), 15)
      })
      const response = await call(transport, readOne)
      expect(response.body).toBe('{"name":"Zoë ✓"}')
      expect(response.json).toEqual({ name: 'Zoë ✓' })
    })
    it('reports a body cut short as a dropped connection: a read is retried, a send never', async () => {
      let requests = 0
      const { transport } = await startServer((_req, res) => {
        requests++
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
        res.write('{"half":')
        setTimeout(() => res.socket?.destroy(), 5)
      })
      const sent = await failure(call(transport, sendOne))
      expect(sent.kind).toBe('network')
      expect(sent.retryable).toBe(false)
      expect(sent.message).toMatch(
        /^acme\.send failed: the connection closed before the response ended \(ECONNRESET\) talking to 127\.0\.0\.1:\d+\. The request may have reached acme; it was not repeated/,
      )
      expect(requests).toBe(1)
      const readError = await failure(call(transport, readOne))
      expect(readError.kind).toBe('network')
      expect(readError.retryable).toBe(true)
    })

    it('ends a body that never finishes at the deadline; a send says the vendor may have it', async () => {
      const { transport, closed } = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{"slow":')
      })
      const started = performance.now()
      const error = await failure(call(transport, { ...sendOne, timeoutMs: 200 }))
      expect(performance.now() - started).toBeLessThan(5_000)
      expect(error.kind).toBe('timeout')
      expect(error.message).toBe(
        'acme.send did not finish within 200 ms. acme may still have received the request. Raise timeoutMs or try again later.',
      )
      await expect.poll(closed).toBe(1)
    })
  },
)
