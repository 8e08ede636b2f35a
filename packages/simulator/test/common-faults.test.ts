import { EventEmitter } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  FaultInjector,
  RequestLog,
  handleControlRequest,
  sendJson,
  startLoopbackServer,
  type FaultRenderer,
  type FaultSpec,
  type LoopbackServer,
} from '../src/common/index.js'

type Endpoint = 'ping' | 'pong'

// A toy vendor: its own error shapes, so the tests show the injector uses the renderer given.
const renderer: FaultRenderer = {
  error: (res, status) => sendJson(res, status, { toyError: status }),
  rateLimited: (res) => sendJson(res, 429, { toyLimited: true }, { 'retry-after': '7' }),
}

let randoms: number[]
let faults: FaultInjector<Endpoint>
let log: RequestLog
let server: LoopbackServer

async function startToy(withMalformedRenderer = false): Promise<void> {
  faults = new FaultInjector<Endpoint>({
    endpoints: ['ping', 'pong'],
    renderer: withMalformedRenderer
      ? { ...renderer, malformed: (res, kind, status) => sendJson(res, status, { kind }) }
      : renderer,
    random: () => randoms.shift() ?? 0.99,
  })
  log = new RequestLog({ now: () => 42 })
  server = await startLoopbackServer(async (req, res) => {
    const inspect = () => ({ requests: log.entries() })
    if (await handleControlRequest(req, res, { faults, inspect })) return
    const endpoint: Endpoint = req.url?.startsWith('/pong') ? 'pong' : 'ping'
    const entry = log.track(endpoint, req, res)
    const interception = await faults.intercept(endpoint, req, res)
    if (interception !== undefined) entry.fault = interception.fault
    if (interception?.handled === true) return
    sendJson(res, 200, { ok: endpoint })
  })
}

beforeEach(async () => {
  randoms = []
  await startToy()
})
afterEach(async () => {
  await server.close()
})

const get = (path = '/ping') => fetch(`${server.baseUrl}${path}`)

describe('FaultInjector', () => {
  it('answers a status fault in the vendor shape and counts it', async () => {
    faults.set('ping', { kind: 'status', status: 503 })
    const res = await get()
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ toyError: 503 })
    expect((await get('/pong')).status).toBe(200)
    expect(faults.count).toEqual({ total: 1, byEndpoint: { ping: 1 } })
  })

  it('answers a rate-limit fault in the vendor form', async () => {
    faults.set('ping', { kind: 'rateLimit' })
    const res = await get()
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('7')
    expect(await res.json()).toEqual({ toyLimited: true })
  })

  it('drops the connection without an answer, and the log says so', async () => {
    faults.set('ping', { kind: 'drop' })
    await expect(get()).rejects.toThrow('fetch failed')
    await new Promise((r) => setTimeout(r, 10))
    expect(log.entries()).toEqual([
      {
        seq: 1,
        endpoint: 'ping',
        method: 'GET',
        path: '/ping',
        receivedAt: 42,
        completedAt: 42,
        outcome: 'dropped',
        fault: { kind: 'drop' },
      },
    ])
  })

  it('sends JSON that does not parse', async () => {
    faults.set('ping', { kind: 'malformed', malformed: 'invalid-json' })
    const res = await get()
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json;charset=utf-8')
    await expect(res.json()).rejects.toThrow(SyntaxError)
  })

  it('cuts a body short of its Content-Length', async () => {
    faults.set('ping', { kind: 'malformed', malformed: 'truncated', status: 500 })
    const res = await get()
    expect(res.status).toBe(500)
    await expect(res.text()).rejects.toThrow()
  })

  it('sends an HTML error page, 502 unless told otherwise', async () => {
    faults.set('ping', { kind: 'malformed', malformed: 'html' })
    const res = await get()
    expect(res.status).toBe(502)
    expect(res.headers.get('content-type')).toBe('text/html')
    expect(await res.text()).toContain('<h1>502 Bad Gateway</h1>')
  })

  it("uses the vendor's own malformed renderer when it has one", async () => {
    await server.close()
    await startToy(true)
    faults.set('pong', { kind: 'malformed', malformed: 'truncated' })
    const res = await get('/pong')
    expect(await res.json()).toEqual({ kind: 'truncated' })
  })

  it('delays by latencyMs, then handles the request normally', async () => {
    faults.set('ping', { kind: 'latency', latencyMs: 60 })
    const started = Date.now()
    const res = await get()
    expect(Date.now() - started).toBeGreaterThanOrEqual(55)
    expect(await res.json()).toEqual({ ok: 'ping' })
    expect(log.entries()[0]?.fault).toEqual({ kind: 'latency', latencyMs: 60 })
  })

  it('applies `times` firings, then clears itself', async () => {
    faults.set('ping', { kind: 'status', status: 500, times: 2 })
    expect(faults.list()).toEqual({ ping: { kind: 'status', status: 500, times: 2, remaining: 2 } })
    expect((await get()).status).toBe(500)
    expect(faults.list()).toEqual({ ping: { kind: 'status', status: 500, times: 2, remaining: 1 } })
    expect((await get()).status).toBe(500)
    expect((await get()).status).toBe(200)
    expect(faults.list()).toEqual({})
  })

  it('fires with the given probability, drawn from the injected random', async () => {
    faults.set('ping', { kind: 'status', status: 500, probability: 0.5 })
    randoms = [0.1, 0.5, 0.49, 0.9]
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await get()).status)
    expect(statuses).toEqual([500, 200, 500, 200])
    expect(faults.count.total).toBe(2)
  })

  it('clears one endpoint or all', async () => {
    faults.set('ping', { kind: 'status', status: 500 })
    faults.set('pong', { kind: 'status', status: 502 })
    faults.clear('ping')
    expect((await get()).status).toBe(200)
    expect((await get('/pong')).status).toBe(502)
    faults.clear()
    expect((await get('/pong')).status).toBe(200)
    expect(faults.count).toEqual({ total: 1, byEndpoint: { pong: 1 } })
  })

  it('refuses what no fault kind allows, and unknown endpoints', () => {
    // The types allow none of these; a spec from JSON (the control surface) may say anything.
    const set = (spec: unknown) => () => faults.set('ping', spec as FaultSpec)
    expect(set({ kind: 'drop', status: 500 })).toThrow('invalid fault')
    expect(set({ kind: 'rateLimit', status: 500 })).toThrow('invalid fault')
    expect(set({ times: 2 })).toThrow('invalid fault')
    expect(set({ kind: 'status', status: 200 })).toThrow('invalid fault')
    expect(set({ kind: 'latency' })).toThrow('invalid fault')
    expect(set({ kind: 'status', status: 500, probability: 2 })).toThrow('invalid fault')
    expect(() => faults.set('nope' as Endpoint, { kind: 'status', status: 500 })).toThrow(
      'unknown endpoint "nope"; expected one of ping, pong',
    )
  })
})

describe('RequestLog', () => {
  it('records endpoint, method, path, status, time and fault, and hides secrets in the query', async () => {
    faults.set('pong', { kind: 'status', status: 500, times: 1 })
    await get('/ping?client_id=me&client_secret=s3cret&x=1')
    await get('/pong')
    expect(log.entries()).toEqual([
      {
        seq: 1,
        endpoint: 'ping',
        method: 'GET',
        path: '/ping',
        query: 'client_id=me&client_secret=%5Bredacted%5D&x=1',
        receivedAt: 42,
        completedAt: 42,
        outcome: 'answered',
        status: 200,
      },
      {
        seq: 2,
        endpoint: 'pong',
        method: 'GET',
        path: '/pong',
        receivedAt: 42,
        completedAt: 42,
        outcome: 'answered',
        status: 500,
        fault: { kind: 'status', status: 500 },
      },
    ])
  })

  it('keeps only the newest `capacity` entries', () => {
    const small = new RequestLog({ capacity: 2, now: () => 7 })
    for (const path of ['/a', '/b', '/c']) {
      const req = Object.assign(new EventEmitter(), { url: path, method: 'GET' })
      const res = Object.assign(new EventEmitter(), { writableFinished: true, statusCode: 204 })
      small.track('ping', req as unknown as IncomingMessage, res as unknown as ServerResponse)
      res.emit('finish')
    }
    expect(small.size).toBe(2)
    expect(small.entries().map((e) => [e.seq, e.path, e.status])).toEqual([
      [2, '/b', 204],
      [3, '/c', 204],
    ])
    small.clear()
    expect(small.entries()).toEqual([])
  })
})

describe('control surface', () => {
  const control = (path: string, body?: unknown) =>
    fetch(`${server.baseUrl}/__simulator/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })

  it('sets, lists and clears faults over HTTP', async () => {
    const set = await control('faults', { endpoint: 'ping', kind: 'status', status: 502, times: 1 })
    expect(set.status).toBe(200)
    expect(await set.json()).toEqual({
      endpoints: ['ping', 'pong'],
      active: { ping: { kind: 'status', status: 502, times: 1, remaining: 1 } },
      count: { total: 0, byEndpoint: {} },
    })
    expect((await get()).status).toBe(502)
    await control('faults', { endpoint: 'pong', kind: 'drop' })
    const cleared = await control('faults', { clear: true })
    expect(await cleared.json()).toEqual({
      endpoints: ['ping', 'pong'],
      active: {},
      count: { total: 1, byEndpoint: { ping: 1 } },
    })
    expect((await get('/pong')).status).toBe(200)
  })

  it('clears one endpoint over HTTP', async () => {
    faults.set('ping', { kind: 'status', status: 500 })
    faults.set('pong', { kind: 'status', status: 500 })
    await control('faults', { clear: true, endpoint: 'ping' })
    expect(faults.list()).toEqual({ pong: { kind: 'status', status: 500 } })
  })

  it('serves the inspection JSON, and control calls are not logged', async () => {
    await get()
    const res = await control('inspect')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { requests: { path: string }[] }
    expect(body.requests.map((r) => r.path)).toEqual(['/ping'])
  })

  it('answers 400 with a reason for bad bodies and unknown endpoints', async () => {
    const notJson = await fetch(`${server.baseUrl}/__simulator/faults`, {
      method: 'POST',
      body: '{',
    })
    expect(notJson.status).toBe(400)
    expect(await notJson.json()).toEqual({ error: 'body must be JSON' })

    const unknown = await control('faults', { endpoint: 'nope', kind: 'status', status: 500 })
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toEqual({
      error: 'unknown endpoint "nope"; expected one of ping, pong',
    })

    const incoherent = await control('faults', { endpoint: 'ping', kind: 'drop', status: 500 })
    expect(incoherent.status).toBe(400)
    expect(((await incoherent.json()) as { error: string }).error).toContain(
      '✖ Unrecognized key: "status"',
    )

    const extra = await control('faults', { endpoint: 'ping', status: 500, colour: 'red' })
    expect(extra.status).toBe(400)
    expect(faults.list()).toEqual({})
  })

  it('answers 404 for an unknown control path', async () => {
    const res = await control('nothing')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: 'no simulator control at GET /__simulator/nothing' })
  })
})
