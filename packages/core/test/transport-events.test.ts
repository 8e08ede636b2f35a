import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import type { AdapterEvent } from '../src/adapter-events.js'
import { createDeadline } from '../src/deadline.js'
import { NotificationTestError } from '../src/error.js'
import { kindForHttpStatus } from '../src/error-kind.js'
import type { Operation } from '../src/operations.js'
import { RateLimiter } from '../src/rate-limiter.js'
import { registerSecret } from '../src/redact.js'
import { FakeClock } from '../src/testing/fake-clock.js'
import {
  refusedPort,
  startMisbehavingVendor,
  type VendorServer,
  type VendorScript,
} from '../src/testing/misbehaving-vendor.js'
import { rejectionOf } from '../src/testing/rejections.js'
import { Transport, type RequestSpec, type TransportOptions } from '../src/transport/transport.js'
import type { VendorResponse } from '../src/transport/vendor-response.js'

const START = Date.parse('2026-11-22T12:00:00Z')

function mapError(response: VendorResponse, operation: Operation): NotificationTestError {
  return new NotificationTestError({
    vendor: 'acme',
    operation: operation.name,
    kind: kindForHttpStatus(response.status),
    message: `acme answered ${response.status}`,
    httpStatus: response.status,
    retryable: response.status === 429,
    retryAfterMs: response.retryAfterMs,
  })
}

const read = {
  operation: { name: 'acme.read', label: 'Reading the thing' },
  method: 'GET' as const,
  path: '/thing',
  callKind: 'read' as const,
}

let server: VendorServer | undefined
const opened: Transport[] = []
afterEach(async () => {
  for (const made of opened.splice(0)) made.close()
  await server?.close()
  server = undefined
})

function transportWith(overrides: Partial<TransportOptions> & { baseUrl: string }): {
  transport: Transport
  events: AdapterEvent[]
  clock: FakeClock
} {
  const clock = new FakeClock({ start: START, timers: 'real' })
  const events: AdapterEvent[] = []
  const transport = new Transport({
    vendor: 'acme',
    mapError,
    clock,
    random: () => 0.5,
    onEvent: (event) => events.push(event),
    ...overrides,
  })
  opened.push(transport)
  return { transport, events, clock }
}

async function call(
  transport: Transport,
  clock: FakeClock,
  spec: Omit<RequestSpec, 'deadline'>,
): Promise<VendorResponse> {
  const deadline = createDeadline({ timeoutMs: 60_000 }, clock)
  try {
    return await transport.request({ ...spec, deadline })
  } finally {
    deadline.dispose()
  }
}

async function scripted(scripts: VendorScript[]) {
  server = await startMisbehavingVendor(scripts)
  return transportWith({ baseUrl: server.baseUrl })
}

describe('Transport events (the onEvent hook)', () => {
  it('announces the first connection, then nothing more while the connection serves', async () => {
    const { transport, events, clock } = await scripted([{ status: 200, body: '{}' }])
    await call(transport, clock, read)
    await call(transport, clock, read)
    const host = new URL(server?.baseUrl ?? '').host
    expect(events).toEqual([
      { type: 'connecting', vendor: 'acme', operation: 'acme.read', at: START, host },
    ])
  })

  it('announces a retry after a 5xx: why, which attempt, and when the next one starts', async () => {
    const { transport, events, clock } = await scripted([{ status: 503 }, { status: 200 }])
    await call(transport, clock, read)
    expect(events.filter((e) => e.type === 'retry')).toEqual([
      {
        type: 'retry',
        vendor: 'acme',
        operation: 'acme.read',
        at: START,
        attempt: 1,
        maxAttempts: 4,
        reason: { kind: 'vendor_error', httpStatus: 503 },
        delayMs: 100,
        retryAt: START + 100,
      },
    ])
  })

  it("announces the vendor's Retry-After as the retry's delay", async () => {
    const { transport, events, clock } = await scripted([
      { status: 429, headers: { 'retry-after': '7.5' } },
      { status: 200 },
    ])
    await call(transport, clock, read)
    const retry = events.find((e) => e.type === 'retry')
    expect(retry).toMatchObject({
      reason: { kind: 'rate_limited', httpStatus: 429 },
      retryAfterMs: 7500,
      delayMs: 7500,
      retryAt: START + 7500,
    })
    expect(clock.sleeps).toEqual([7500])
  })

  it('announces a wait for its own budget, and one the vendor imposed with an earlier 429', async () => {
    server = await startMisbehavingVendor([{ status: 200 }])
    const clock = new FakeClock({ start: START, timers: 'real' })
    const limiter = new RateLimiter(clock)
    const { transport, events } = transportWith({
      baseUrl: server.baseUrl,
      clock,
      rateLimiter: limiter,
    })
    const rateLimit = { key: 'thing', limit: { perSecond: 1, burst: 1 } }
    await call(transport, clock, { ...read, rateLimit })
    await call(transport, clock, { ...read, rateLimit })
    limiter.block('thing', clock.now() + 5000)
    await call(transport, clock, { ...read, rateLimit })
    const waits = events.filter((e) => e.type === 'rate-limit-wait')
    expect(waits).toEqual([
      {
        type: 'rate-limit-wait',
        vendor: 'acme',
        operation: 'acme.read',
        at: START,
        source: 'budget',
        delayMs: 1000,
        until: START + 1000,
      },
      {
        type: 'rate-limit-wait',
        vendor: 'acme',
        operation: 'acme.read',
        at: START + 1000,
        source: 'vendor',
        delayMs: 5000,
        until: START + 6000,
      },
    ])
  })

  it('announces a new connection after a refused one, with the code, for every retry', async () => {
    const port = await refusedPort()
    const { transport, events, clock } = transportWith({ baseUrl: `http://127.0.0.1:${port}` })
    await rejectionOf(call(transport, clock, read))
    expect(events.map((e) => e.type)).toEqual([
      'connecting',
      'retry',
      'connecting',
      'retry',
      'connecting',
      'retry',
      'connecting',
    ])
    expect(events[1]).toMatchObject({ reason: { kind: 'network', code: 'ECONNREFUSED' } })
  })

  it('names the proxy without its credentials, and no event ever holds a secret', async () => {
    const port = await refusedPort()
    registerSecret('hunter2-proxy-password')
    const { transport, events, clock } = transportWith({
      baseUrl: 'https://vendor.example',
      proxy: `http://user:hunter2-proxy-password@127.0.0.1:${port}`,
      proxyField: '--proxy',
    })
    await rejectionOf(
      call(transport, clock, {
        ...read,
        headers: () => ({ Authorization: 'Bearer secret-token-value' }),
      }),
    )
    expect(events[0]).toEqual({
      type: 'connecting',
      vendor: 'acme',
      operation: 'acme.read',
      at: START,
      host: 'vendor.example',
      proxy: { display: `http://127.0.0.1:${port}`, source: '--proxy' },
    })
    const shown = JSON.stringify(events) + inspect(events, { depth: 10 })
    expect(shown).not.toMatch(/hunter2|secret-token-value|Bearer|user:/)
  })

  it('keeps calling when the listener throws', async () => {
    server = await startMisbehavingVendor([{ status: 503 }, { status: 200, body: '{"ok":1}' }])
    const logged: string[] = []
    const { transport, clock } = transportWith({
      baseUrl: server.baseUrl,
      onEvent: () => {
        throw new Error('listener bug')
      },
      logger: { debug: (line) => logged.push(line) },
    })
    const response = await call(transport, clock, read)
    expect(response.json).toEqual({ ok: 1 })
    expect(logged).toContain('the onEvent listener threw on a retry event; ignored')
  })
})
