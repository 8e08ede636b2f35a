import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import {
  readBody,
  sendEmpty,
  sendJson,
  sendText,
  startLoopbackServer,
  type LoopbackServer,
  type RequestHandler,
} from '../src/common/index.js'

let server: LoopbackServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function serve(handler: RequestHandler): Promise<LoopbackServer> {
  server = await startLoopbackServer(handler)
  return server
}

describe('startLoopbackServer', () => {
  it('listens on 127.0.0.1 on a free port and reports its base URL', async () => {
    const s = await serve((_req, res) => sendText(res, 200, 'hi'))
    expect(s.baseUrl).toBe(`http://127.0.0.1:${String(s.port)}`)
    expect(s.port).toBeGreaterThan(0)
    const res = await fetch(`${s.baseUrl}/`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('hi')
  })

  it('refuses a host that is not loopback', async () => {
    await expect(startLoopbackServer(() => undefined, { host: '0.0.0.0' })).rejects.toThrow(
      'simulator host must be a loopback address, got "0.0.0.0"',
    )
  })

  it('closes promptly even with a keep-alive connection and a request left hanging', async () => {
    const s = await serve((req, res) => {
      if (req.url === '/hang') return // never answers
      sendText(res, 200, 'ok')
    })
    await (await fetch(`${s.baseUrl}/`)).text() // leaves a keep-alive socket open
    const hanging = fetch(`${s.baseUrl}/hang`)
    const settled = hanging.then(
      () => 'answered',
      () => 'failed',
    )
    await new Promise((r) => setTimeout(r, 20))
    const started = Date.now()
    await s.close()
    expect(Date.now() - started).toBeLessThan(1000)
    expect(await settled).toBe('failed')
    await s.close() // idempotent
    server = undefined
  })

  it('answers 500 when a handler throws, rather than hanging', async () => {
    const s = await serve(() => {
      throw new Error('boom')
    })
    const res = await fetch(`${s.baseUrl}/`)
    expect(res.status).toBe(500)
    expect(await res.text()).toBe('simulator error')
  })
})

describe('readBody', () => {
  const echo: RequestHandler = async (req, res) => {
    const body = await readBody(req, 10)
    sendText(res, 200, body.toString('utf8'))
  }

  it('reads a body within the limit', async () => {
    const s = await serve(echo)
    const res = await fetch(s.baseUrl, { method: 'POST', body: '0123456789' })
    expect(await res.text()).toBe('0123456789')
  })

  it('answers 413 when Content-Length is over the limit', async () => {
    const s = await serve(echo)
    const res = await fetch(s.baseUrl, { method: 'POST', body: '01234567890' })
    expect(res.status).toBe(413)
    expect(await res.text()).toBe('request body exceeds 10 bytes')
  })

  it('answers 413 when a chunked body grows past the limit', async () => {
    const s = await serve(echo)
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${s.baseUrl}/`, { method: 'POST' }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.write('0123456')
      req.end('789abcdef')
    })
    expect(status).toBe(413)
  })
})

describe('send helpers', () => {
  it('sendJson sets the JSON type, exact length and extra headers', async () => {
    const s = await serve((_req, res) => sendJson(res, 201, { a: 'é' }, { 'x-extra': 'yes' }))
    const res = await fetch(s.baseUrl)
    expect(res.status).toBe(201)
    expect(res.headers.get('content-type')).toBe('application/json;charset=utf-8')
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength('{"a":"é"}')))
    expect(res.headers.get('x-extra')).toBe('yes')
    expect(await res.json()).toEqual({ a: 'é' })
  })

  it('sendText and sendEmpty', async () => {
    const s = await serve((req, res) =>
      req.url === '/empty' ? sendEmpty(res) : sendText(res, 401, 'Unauthenticated\nRequest ID: X'),
    )
    const text = await fetch(s.baseUrl)
    expect(text.status).toBe(401)
    expect(text.headers.get('content-type')).toBe('text/plain;charset=utf-8')
    expect(await text.text()).toBe('Unauthenticated\nRequest ID: X')
    const empty = await fetch(`${s.baseUrl}/empty`)
    expect(empty.status).toBe(204)
    expect(await empty.text()).toBe('')
  })
})
