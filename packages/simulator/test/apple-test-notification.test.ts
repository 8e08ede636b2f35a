import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { createServer as createHttpsServer } from 'node:https'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { webcrypto } from 'node:crypto'
import { compactVerify, importX509 } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startAppleSimulator, type AppleSimulator } from '../src/apple/index.js'
import {
  callApple,
  deadUrl,
  decodeJws,
  eventually,
  startReceiver,
  type Receiver,
} from './apple-helpers.js'

const TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}_\d{13}$/

interface StatusBody {
  signedPayload: string
  sendAttempts: { attemptDate: number; sendAttemptResult: string }[]
}

async function requestTest(sim: AppleSimulator): Promise<string> {
  const response = await callApple(sim, 'POST', '/inApps/v1/notifications/test')
  expect(response.status).toBe(200)
  const { testNotificationToken } = response.json as { testNotificationToken: string }
  expect(testNotificationToken).toMatch(TOKEN)
  return testNotificationToken
}

/** Polls the status endpoint until the attempt is recorded. */
async function waitForStatus(sim: AppleSimulator, token: string): Promise<StatusBody> {
  return eventually(async () => {
    const response = await callApple(sim, 'GET', `/inApps/v1/notifications/test/${token}`)
    if (response.status === 404) return undefined
    expect(response.status).toBe(200)
    return response.json as StatusBody
  })
}

function pemOf(base64Der: string): string {
  return `-----BEGIN CERTIFICATE-----\n${base64Der.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----`
}

describe('Apple simulator: test notifications', () => {
  let sim: AppleSimulator
  let receiver: Receiver

  beforeEach(async () => {
    receiver = await startReceiver()
    sim = await startAppleSimulator({
      rateLimits: 'off',
      notificationUrl: receiver.url,
      deliveryDelayMs: 20,
      deliveryTimeoutMs: 300,
    })
  })
  afterEach(async () => {
    await sim.close()
    await receiver.close()
  })

  it('answers 4040008 until the attempt is recorded, then SUCCESS with the signed payload', async () => {
    // The receiver holds its answer until the pending status has been seen: no race on timing,
    // so this simulator gives the delivery far longer than the suite's 300 ms to be answered.
    await sim.close()
    sim = await startAppleSimulator({
      rateLimits: 'off',
      notificationUrl: receiver.url,
      deliveryDelayMs: 20,
      deliveryTimeoutMs: 10_000,
    })
    let release = (): void => undefined
    const released = new Promise<void>((resolve) => (release = resolve))
    receiver.setHandler((_req, res) => void released.then(() => res.writeHead(200).end()))
    const before = Date.now()
    const token = await requestTest(sim)
    await eventually(() => (receiver.received.length > 0 ? true : undefined))
    const pending = await callApple(sim, 'GET', `/inApps/v1/notifications/test/${token}`)
    release()
    expect(pending.status).toBe(404)
    expect(pending.json).toEqual({
      errorCode: 4040008,
      errorMessage:
        'Either the test notification token is expired or the notification and status are not yet available.',
    })

    const status = await waitForStatus(sim, token)
    expect(status.sendAttempts).toEqual([
      { attemptDate: expect.any(Number) as number, sendAttemptResult: 'SUCCESS' },
    ])
    expect(status.sendAttempts[0]?.attemptDate).toBeGreaterThanOrEqual(before)

    // What arrived is exactly what the status reports, as JSON `{signedPayload}`.
    expect(receiver.received).toHaveLength(1)
    const [delivery] = receiver.received
    expect(delivery?.method).toBe('POST')
    expect(delivery?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(delivery?.body ?? '')).toEqual({ signedPayload: status.signedPayload })

    const { header, payload } = decodeJws(status.signedPayload)
    expect(header.alg).toBe('ES256')
    expect(header.x5c).toHaveLength(3)
    expect(payload).toEqual({
      notificationType: 'TEST',
      notificationUUID: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      data: { bundleId: 'com.example.notiprobe', environment: 'Sandbox' },
      version: '2.0',
      signedDate: expect.any(Number) as number,
    })
    // The leaf in x5c really signed it.
    const leaf = await importX509(pemOf((header.x5c as string[])[0] ?? ''), 'ES256')
    await expect(compactVerify(status.signedPayload, leaf)).resolves.toBeDefined()

    const [record] = sim.inspect().testNotifications
    expect(record).toMatchObject({
      testNotificationToken: token,
      url: receiver.url,
      state: 'delivered',
      attempts: [{ sendAttemptResult: 'SUCCESS', httpStatus: 200, url: receiver.url }],
    })
  })

  it('puts appAppleId in production payloads', async () => {
    const production = await startAppleSimulator({
      environment: 'Production',
      appAppleId: 987654321,
      rateLimits: 'off',
      notificationUrl: receiver.url,
      deliveryDelayMs: 0,
    })
    try {
      const status = await waitForStatus(production, await requestTest(production))
      expect(decodeJws(status.signedPayload).payload.data).toEqual({
        appAppleId: 987654321,
        bundleId: 'com.example.notiprobe',
        environment: 'Production',
      })
    } finally {
      await production.close()
    }
  })

  it('answers 4040007 when no notification URL is configured', async () => {
    sim.setNotificationUrl(undefined)
    const response = await callApple(sim, 'POST', '/inApps/v1/notifications/test')
    expect(response.status).toBe(404)
    expect(response.json).toMatchObject({ errorCode: 4040007 })
    expect(() => sim.setNotificationUrl('ftp://example.com/')).toThrow(
      'notificationUrl must be an http(s) URL',
    )
  })

  it('answers 400 4000020 to a malformed token and 404 4040008 to an unknown one', async () => {
    const malformed = await callApple(sim, 'GET', '/inApps/v1/notifications/test/not-a-token')
    expect(malformed.status).toBe(400)
    expect(malformed.json).toMatchObject({ errorCode: 4000020 })
    const unknown = await callApple(
      sim,
      'GET',
      '/inApps/v1/notifications/test/0a1b2c3d-0000-4000-8000-000000000000_1700000000000',
    )
    expect(unknown.status).toBe(404)
    expect(unknown.json).toMatchObject({ errorCode: 4040008 })
  })

  const failures: [string, string, (r: Receiver) => Promise<void> | void, number?][] = [
    [
      'a non-200 answer',
      'UNSUCCESSFUL_HTTP_RESPONSE_CODE',
      (r) => r.setHandler((_req, res) => res.writeHead(500).end('nope')),
      500,
    ],
    [
      'a 207 (just past the 200 to 206 that acknowledge)',
      'UNSUCCESSFUL_HTTP_RESPONSE_CODE',
      (r) => r.setHandler((_req, res) => res.writeHead(207).end()),
      207,
    ],
    [
      'a 300 without a Location',
      'UNSUCCESSFUL_HTTP_RESPONSE_CODE',
      (r) => r.setHandler((_req, res) => res.writeHead(300).end()),
      300,
    ],
    ['no answer in time', 'TIMED_OUT', (r) => r.setHandler(() => undefined)],
    [
      'a connection closed without an answer',
      'NO_RESPONSE',
      (r) => r.setHandler((req) => req.socket.destroy()),
    ],
    [
      'a body cut short',
      'PREMATURE_CLOSE',
      (r) =>
        r.setHandler((req, res) => {
          res.writeHead(200, { 'content-length': 100 })
          res.write('{"ok":', () => req.socket.destroy())
        }),
      200,
    ],
    [
      'a redirect loop',
      'CIRCULAR_REDIRECT',
      (r) =>
        r.setHandler((req, res) =>
          res.writeHead(307, { location: req.url === '/a' ? '/notifications' : '/a' }).end(),
        ),
      307,
    ],
    [
      'a redirect to another origin (not followed)',
      'UNSUCCESSFUL_HTTP_RESPONSE_CODE',
      (r) =>
        r.setHandler((_req, res) => res.writeHead(302, { location: 'http://example.com/' }).end()),
      302,
    ],
    [
      'an unsupported charset',
      'UNSUPPORTED_CHARSET',
      (r) =>
        r.setHandler((_req, res) =>
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-16' }).end(),
        ),
      200,
    ],
  ]

  it.each(failures)('records %s as %s', async (_name, result, setup, httpStatus) => {
    await setup(receiver)
    const status = await waitForStatus(sim, await requestTest(sim))
    expect(status.sendAttempts.map((a) => a.sendAttemptResult)).toEqual([result])
    const attempt = sim.inspect().testNotifications[0]?.attempts[0]
    expect(attempt?.httpStatus).toBe(httpStatus)
    expect(sim.inspect().testNotifications[0]?.state).toBe('failed')
  })

  // Apple: "Send HTTP 200, or any HTTP code between 200 and 206, if the post was successful".
  it.each([200, 201, 202, 203, 204, 205, 206])(
    'records an HTTP %i answer as SUCCESS',
    async (status) => {
      receiver.setHandler((_req, res) => res.writeHead(status).end())
      const answer = await waitForStatus(sim, await requestTest(sim))
      expect(answer.sendAttempts.map((a) => a.sendAttemptResult)).toEqual(['SUCCESS'])
      expect(sim.inspect().testNotifications[0]?.state).toBe('delivered')
    },
  )

  it('follows a same-origin redirect to a 200', async () => {
    receiver.setHandler((req, res) => {
      if (req.url === '/notifications') res.writeHead(308, { location: '/moved' }).end()
      else res.writeHead(200).end()
    })
    const status = await waitForStatus(sim, await requestTest(sim))
    expect(status.sendAttempts[0]?.sendAttemptResult).toBe('SUCCESS')
    expect(receiver.received.map((r) => r.url)).toEqual(['/notifications', '/moved'])
    expect(receiver.received[1]?.body).toBe(receiver.received[0]?.body)
  })

  it('records a receiver that is down as SOCKET_ISSUE', async () => {
    sim.setNotificationUrl(await deadUrl())
    const status = await waitForStatus(sim, await requestTest(sim))
    expect(status.sendAttempts[0]?.sendAttemptResult).toBe('SOCKET_ISSUE')
    expect(sim.inspect().testNotifications[0]?.attempts[0]?.detail).toBe('ECONNREFUSED')
  })

  it('records a garbage HTTP answer as INVALID_RESPONSE', async () => {
    const raw = createServer((socket) => {
      socket.once('data', () => socket.end('NOT HTTP AT ALL\r\n\r\n'))
    })
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = raw.address() as AddressInfo
      sim.setNotificationUrl(`http://127.0.0.1:${String(port)}/`)
      const status = await waitForStatus(sim, await requestTest(sim))
      expect(status.sendAttempts[0]?.sendAttemptResult).toBe('INVALID_RESPONSE')
    } finally {
      await new Promise((resolve) => raw.close(resolve))
    }
  })

  it('records an endpoint whose certificate is not trusted as TLS_ISSUE', async () => {
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
    const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=127.0.0.1',
      keys,
      signingAlgorithm: algorithm,
    })
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
    const tls = createHttpsServer(
      {
        key: `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64')}\n-----END PRIVATE KEY-----\n`,
        cert: cert.toString('pem'),
      },
      (_req, res) => res.writeHead(200).end(),
    )
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = tls.address() as AddressInfo
      sim.setNotificationUrl(`https://127.0.0.1:${String(port)}/`)
      const status = await waitForStatus(sim, await requestTest(sim))
      expect(status.sendAttempts[0]?.sendAttemptResult).toBe('TLS_ISSUE')
      expect(sim.inspect().testNotifications[0]?.attempts[0]?.detail).toBe(
        'DEPTH_ZERO_SELF_SIGNED_CERT',
      )
    } finally {
      tls.closeAllConnections()
      await new Promise((resolve) => tls.close(resolve))
    }
  })

  it('retries in production on the configured schedule, and history shows every attempt', async () => {
    let calls = 0
    receiver.setHandler((_req, res) => res.writeHead(++calls < 3 ? 503 : 200).end())
    const production = await startAppleSimulator({
      environment: 'Production',
      rateLimits: 'off',
      notificationUrl: receiver.url,
      deliveryDelayMs: 0,
      retryDelaysMs: [10, 10, 10],
    })
    try {
      const token = await requestTest(production)
      const done = await eventually(async () => {
        const status = await waitForStatus(production, token)
        return status.sendAttempts.length === 3 ? status : undefined
      })
      expect(done.sendAttempts.map((a) => a.sendAttemptResult)).toEqual([
        'UNSUCCESSFUL_HTTP_RESPONSE_CODE',
        'UNSUCCESSFUL_HTTP_RESPONSE_CODE',
        'SUCCESS',
      ])
      expect(production.inspect().testNotifications[0]?.state).toBe('delivered')
    } finally {
      await production.close()
    }
  })

  it('sends once in sandbox even when the attempt fails', async () => {
    receiver.setHandler((_req, res) => res.writeHead(503).end())
    const status = await waitForStatus(sim, await requestTest(sim))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(status.sendAttempts).toHaveLength(1)
    expect(receiver.received).toHaveLength(1)
  })

  it('holds many deliveries in flight without a MaxListenersExceededWarning; close() aborts them all', async () => {
    const warnings: Error[] = []
    const onWarning = (warning: Error): void => {
      warnings.push(warning)
    }
    process.on('warning', onWarning)
    const busy = await startAppleSimulator({
      rateLimits: 'off',
      notificationUrl: receiver.url,
      deliveryDelayMs: 0,
      deliveryTimeoutMs: 10_000,
    })
    try {
      // The receiver never answers: every delivery stays in flight until close().
      receiver.setHandler(() => undefined)
      await Promise.all(Array.from({ length: 15 }, () => requestTest(busy)))
      await eventually(() => (receiver.received.length === 15 ? true : undefined))
      await busy.close()
      // Warnings are emitted on a later tick.
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([])
      // Closing mid-attempt leaves no trace.
      expect(busy.inspect().testNotifications.map((record) => record.attempts)).toEqual(
        Array.from({ length: 15 }, () => []),
      )
    } finally {
      process.off('warning', onWarning)
    }
  })

  it('close() cancels a scheduled delivery', async () => {
    const slow = await startAppleSimulator({
      rateLimits: 'off',
      notificationUrl: receiver.url,
      deliveryDelayMs: 200,
    })
    await requestTest(slow)
    await slow.close()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(receiver.received).toHaveLength(0)
  })
})
