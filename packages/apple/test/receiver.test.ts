import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createNotificationHandler,
  type AppleNotificationPayload,
  type NotificationHandlerOptions,
} from '../src/index.js'
import type { NotificationTestError } from '@notiprobe/core'
import { APPLE_FIXTURE, FIXTURE_OPTIONS, fixtureClock } from './helpers/fixture.js'

let server: Server | undefined

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

interface Answer {
  status: number
  body: string
  headers: IncomingMessage['headers']
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
): Promise<string> {
  // The handler's promise never rejects; Node's server ignores what a listener returns.
  server = createServer((req, res) => void handler(req, res))
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string | number> = { 'content-type': 'application/json' },
  method = 'POST',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString(),
          headers: res.headers,
        }),
      )
    })
    req.on('error', reject)
    req.end(body)
  })
}

function recorder(extra: Partial<NotificationHandlerOptions> = {}) {
  const received: AppleNotificationPayload[] = []
  const errors: NotificationTestError[] = []
  const handler = createNotificationHandler({
    ...FIXTURE_OPTIONS,
    clock: fixtureClock(),
    onNotification: (notification) => {
      received.push(notification)
    },
    onError: (error) => errors.push(error),
    ...extra,
  })
  return { handler, received, errors }
}

const valid = JSON.stringify({ signedPayload: APPLE_FIXTURE })

describe('createNotificationHandler on Node http', () => {
  it('answers 200 to a valid notification and hands over the decoded payload', async () => {
    const { handler, received, errors } = recorder()
    const url = await listen(handler)
    const answer = await post(url, valid, { 'content-type': 'application/json; charset=utf-8' })
    expect(answer).toMatchObject({ status: 200, body: '' })
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({
      notificationType: 'TEST',
      data: { bundleId: FIXTURE_OPTIONS.bundleId },
    })
    expect(errors).toEqual([])
  })

  it('answers 400 to a notification that fails verification, without saying why to the client', async () => {
    const { handler, received, errors } = recorder({ bundleId: 'com.example.other' })
    const answer = await post(await listen(handler), valid)
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body)).toEqual({ error: 'the signed payload failed verification' })
    expect(answer.headers.connection).toBe('close')
    expect(received).toHaveLength(0)
    expect(errors[0]).toMatchObject({ kind: 'verification' })
    expect(errors[0].message).toContain('not "com.example.other"')
  })

  it('refuses what is not a notification with the right status', async () => {
    const { handler, errors } = recorder({ maxBodyBytes: 8192 })
    const url = await listen(handler)
    const cases: [Promise<Answer>, number, string][] = [
      [post(url, '', {}, 'GET'), 405, 'only POST is accepted'],
      [
        post(url, valid, { 'content-type': 'text/plain' }),
        415,
        'the body must be application/json',
      ],
      [post(url, valid, {}), 415, 'the body must be application/json'],
      [
        post(url, '{"signedPayload": ', { 'content-type': 'application/json' }),
        400,
        'the body is not valid JSON',
      ],
      [post(url, '{"payload": "x"}'), 400, 'the body is not {"signedPayload": "<JWS>"}'],
      [post(url, '[1,2]'), 400, 'the body is not {"signedPayload": "<JWS>"}'],
      [post(url, Buffer.from([0xff, 0xfe, 0x7b])), 400, 'the body is not valid JSON'],
      [
        post(url, JSON.stringify({ signedPayload: 'x'.repeat(9000) })),
        413,
        'the body is larger than 8192 bytes',
      ],
      [
        post(url, JSON.stringify({ signedPayload: 'a.b.c' })),
        400,
        'the signed payload failed verification',
      ],
    ]
    for (const [answer, status, error] of cases) {
      const { status: got, body } = await answer
      expect([got, JSON.parse(body)]).toEqual([status, { error }])
    }
    expect(errors).toHaveLength(cases.length)
    expect((await post(url, '', {}, 'PUT')).headers.allow).toBe('POST')
  })

  it('refuses a large chunked body as it streams in', async () => {
    const { handler } = recorder({ maxBodyBytes: 4096 })
    const url = await listen(handler)
    const answer = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.write('{"signedPayload":"')
      req.write('x'.repeat(5000))
      req.end('"}')
    })
    expect(answer).toBe(413)
  })

  it('answers 408 to a body that does not come', async () => {
    const { handler } = recorder({ bodyTimeoutMs: 50 })
    const url = await listen(handler)
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 100 } },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.write('{"signed')
    })
    expect(status).toBe(408)
  })

  it('answers 500 when onNotification throws, so that Apple tries again, and never throws itself', async () => {
    const { handler, errors } = recorder({
      onNotification: () => {
        throw new Error('database down')
      },
      onError: (error) => {
        errors.push(error)
        throw new Error('the logger broke too')
      },
    })
    const answer = await post(await listen(handler), valid)
    expect(answer.status).toBe(500)
    expect(JSON.parse(answer.body)).toEqual({ error: 'the notification could not be processed' })
    expect(errors[0]).toMatchObject({ kind: 'vendor_error' })
    expect(errors[0].message).toBe(
      'onNotification failed for notification "592751ef-c1b8-47fc-929e-d62dee66df4c"; answered 500 so that Apple tries again.',
    )
  })

  it('checks its options when created', () => {
    expect(() => createNotificationHandler({ ...FIXTURE_OPTIONS } as never)).toThrow(
      'Invalid notification handler options: onNotification: expected a function called with each verified notification',
    )
    expect(() =>
      createNotificationHandler({
        ...FIXTURE_OPTIONS,
        environment: 'Production',
        onNotification: () => undefined,
      }),
    ).toThrow(
      "Invalid notification handler options: appAppleId: is required when environment is Production (Production notifications are verified against the app's Apple ID)",
    )
    expect(() =>
      createNotificationHandler({
        ...FIXTURE_OPTIONS,
        maxBodyBytes: 10,
        onNotification: () => undefined,
      }),
    ).toThrow('Invalid notification handler options: maxBodyBytes: expected at least 1024 bytes')
    // The online checks time their OCSP queries on this clock: a clock with now() alone would
    // fail later, inside a verification, as a raw TypeError.
    expect(() =>
      createNotificationHandler({
        ...FIXTURE_OPTIONS,
        clock: { now: () => 0 } as never,
        onNotification: () => undefined,
      }),
    ).toThrow(
      'Invalid notification handler options: clock: expected a Clock with now(), sleep(ms, signal) and setTimer(callback, ms)',
    )
  })
})

describe('createNotificationHandler under Express', () => {
  async function app(configure: (app: express.Express) => void): Promise<string> {
    const application = express()
    configure(application)
    return listen(application)
  }

  it('works as a route handler without a body parser', async () => {
    const { handler, received } = recorder()
    const url = await app((a) => a.post('/apple', handler))
    expect((await post(`${url}/apple`, valid)).status).toBe(200)
    expect(received).toHaveLength(1)
  })

  it('works after express.json() has parsed the body', async () => {
    const { handler, received } = recorder()
    const url = await app((a) => a.post('/apple', express.json(), handler))
    expect((await post(`${url}/apple`, valid)).status).toBe(200)
    expect((await post(`${url}/apple`, JSON.stringify({ signedPayload: 'a.b.c' }))).status).toBe(
      400,
    )
    expect((await post(`${url}/apple`, valid, { 'content-type': 'text/plain' })).status).toBe(415)
    expect(received).toHaveLength(1)
  })

  it('works after express.raw() and express.text()', async () => {
    // Two receivers: one receiver takes a notification once (a second copy is a replay).
    const raw = recorder()
    const text = recorder()
    const url = await app((a) => {
      a.post('/raw', express.raw({ type: 'application/json' }), raw.handler)
      a.post('/text', express.text({ type: 'application/json' }), text.handler)
    })
    expect((await post(`${url}/raw`, valid)).status).toBe(200)
    expect((await post(`${url}/text`, valid)).status).toBe(200)
    expect([...raw.received, ...text.received]).toHaveLength(2)
  })
})
