import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import { createServer, type Server, type Socket } from 'node:net'
import { inspect } from 'node:util'
import type { NotificationTestError } from '@notiprobe/core'
import {
  createSailPointTester,
  sailPointOptionsFromEnv,
  type SailPointTester,
} from '@notiprobe/sailpoint'
import { startSailPointSimulator, type SailPointSimulator } from '@notiprobe/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WORK_ITEM, manualClock, rejectionOf, simOptions, thrownBy } from './sailpoint-helpers.js'

/** A TCP listener that only counts connections: any request meant to escape would land here. */
async function connectionCounter(): Promise<{
  port: number
  count: () => number
  close: () => Promise<void>
}> {
  let connections = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    port: address.port,
    count: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

describe('hostile tenants and URLs', () => {
  let sim: SailPointSimulator
  let evil: Awaited<ReturnType<typeof connectionCounter>>

  beforeAll(async () => {
    sim = await startSailPointSimulator()
    evil = await connectionCounter()
  })
  afterAll(async () => {
    await sim.close()
    await evil.close()
  })

  it('are refused at construction and never cause a request', async () => {
    const simHost = new URL(sim.baseUrl).host
    const evilHost = `127.0.0.1:${evil.port}`
    const credentials = sim.credentials
    const hostile: Record<string, unknown>[] = [
      { tenant: `${evilHost}#` },
      { tenant: `${evilHost}/x#` },
      { tenant: `${simHost}/` },
      { tenant: 'evil.com#' },
      { tenant: '169.254.169.254/x#' },
      { tenant: `acme@${evilHost}#` },
      { tenant: `evil%2ecom` },
      { tenant: `${evilHost}%23` },
      { tenant: 'acme.evil.com' },
      { baseUrl: `http://user:pass@${evilHost}` },
      { baseUrl: `http://${evilHost}#@acme.api.identitynow.com` },
      { baseUrl: `http://${evilHost}/?x=1` },
      { baseUrl: `https://acme.api.identitynow.com@${evilHost}` },
      { baseUrl: 'http://169.254.169.254/latest/meta-data' },
      { baseUrl: sim.baseUrl, tokenUrl: `http://${evilHost}/oauth/token` },
      {
        baseUrl: sim.baseUrl,
        tokenUrl: `http://localhost:${new URL(sim.baseUrl).port}/oauth/token`,
      },
      { tenant: 'acme', tokenUrl: `http://${evilHost}/oauth/token` },
    ]
    for (const target of hostile) {
      const error = thrownBy(() => createSailPointTester({ ...credentials, ...target }))
      expect(error.kind, JSON.stringify(target)).toBe('config')
      expect(error.message).not.toContain(credentials.clientSecret)
    }
    const envError = thrownBy(() =>
      createSailPointTester(
        sailPointOptionsFromEnv(
          {
            SAIL_TENANT: `${evilHost}#`,
            SAIL_CLIENT_ID: credentials.clientId,
            SAIL_CLIENT_SECRET: credentials.clientSecret,
          },
          {},
        ),
      ),
    )
    expect(envError.kind).toBe('config')
    // Give any stray connection attempt time to land.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(evil.count()).toBe(0)
    expect(sim.inspect().requests).toEqual([])
    expect(sim.tokensIssued).toBe(0)
  })
})

/** Everything a person or a log could see of an error. */
function surfaces(error: NotificationTestError): string[] {
  return [
    error.message,
    error.stack ?? '',
    JSON.stringify(error),
    inspect(error, { depth: 20 }),
    inspect(error, { depth: 20, showHidden: true }),
    String(error),
    inspect(error.cause, { depth: 20 }),
  ]
}

const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/

describe('secrets and tokens never show', () => {
  const secret = 'planted-client-secret-7f3a9c1e5b'

  it('in errors, warnings, log lines, tickets or the tester, on every path', async () => {
    const time = manualClock()
    const sim = await startSailPointSimulator({
      clientSecret: secret,
      now: time.now,
      deprecated: ['beta'],
    })
    const lines: string[] = []
    const logger = {
      debug: (message: string, fields?: unknown) =>
        lines.push(`${message} ${JSON.stringify(fields)}`),
    }
    const tester = createSailPointTester(
      simOptions(sim, { clock: time, random: () => 0.5, logger, retry: { maxAttempts: 2 } }),
    )
    const errors: NotificationTestError[] = []
    const seen: string[] = []
    try {
      const ticket = await tester.send(WORK_ITEM)
      seen.push(JSON.stringify(ticket), inspect(ticket, { depth: 20 }))
      seen.push(JSON.stringify(await tester.check(ticket)))
      seen.push(inspect(tester, { depth: 20, showHidden: true }), JSON.stringify(tester))

      sim.revokeTokens()
      await tester.send(WORK_ITEM)
      sim.faults.set('sendTestNotification', { kind: 'status', status: 401, times: 2 })
      errors.push(await rejectionOf(tester.send(WORK_ITEM)))
      for (const fault of [
        { kind: 'status', status: 500 },
        { kind: 'status', status: 403 },
        { kind: 'rateLimit' },
        { kind: 'drop' },
        { kind: 'malformed', malformed: 'html', status: 502 },
      ] as const) {
        // A 429 is retried once (maxAttempts 2): it must fire twice to fail the call.
        sim.faults.set('sendTestNotification', {
          ...fault,
          times: fault.kind === 'rateLimit' ? 2 : 1,
        })
        errors.push(await rejectionOf(tester.send(WORK_ITEM)))
      }
      sim.faults.clear()
      errors.push(await rejectionOf(tester.send({ ...WORK_ITEM, context: {} })))
      errors.push(await rejectionOf(tester.send({ key: 'nope', medium: 'EMAIL', preflight: true })))
      sim.revokeTokens()
      for (const fault of [
        { kind: 'status', status: 500 },
        { kind: 'malformed', malformed: 'invalid-json', status: 200 },
        { kind: 'drop' },
      ] as const) {
        sim.faults.set('token', fault)
        errors.push(await rejectionOf(tester.send(WORK_ITEM)))
      }
      sim.faults.clear()

      const wrong = createSailPointTester(
        simOptions(sim, { clientSecret: `${secret}-wrong`, logger }),
      )
      errors.push(await rejectionOf(wrong.send(WORK_ITEM)))
      wrong.close()
      errors.push(
        thrownBy(() =>
          createSailPointTester(simOptions(sim, { clientSecret: ` ${secret}`, tenant: 'x' })),
        ),
      )
    } finally {
      tester.close()
      await sim.close()
    }

    expect(errors).toHaveLength(13)
    expect(lines.length).toBeGreaterThan(10)
    expect(lines.some((line) => line.includes('warning: SailPoint marked'))).toBe(true)
    const texts = [...errors.flatMap(surfaces), ...lines, ...seen]
    for (const text of texts) {
      expect(text).not.toContain(secret)
      expect(text).not.toMatch(JWT)
      expect(text).not.toMatch(/bearer\s+(?!\[REDACTED)/i)
    }
  })

  it('even when a server echoes an opaque token or the secret back', async () => {
    const token = 'opaque-access-token-5e4d3c2b1a'
    const echoSecret = 'echoed-client-secret-8d7c6b5a'
    const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        res.setHeader('content-type', 'application/json')
        if (req.url === '/oauth/token') {
          res.end(JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: 749 }))
        } else if (req.url === '/beta/send-test-notification') {
          res.statusCode = 401
          res.end(
            JSON.stringify({
              error: `token ${token} refused; request was ${req.headers.authorization ?? ''} ${body}`,
            }),
          )
        } else {
          res.statusCode = 500
          res.end(
            JSON.stringify({
              detailCode: '500.0 Internal Fault',
              trackingId: 't',
              messages: [{ text: `client secret ${echoSecret} and token ${token}` }],
              causes: [{ text: `client_secret=${echoSecret}` }],
            }),
          )
        }
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    const lines: string[] = []
    const tester = createSailPointTester({
      baseUrl: `http://127.0.0.1:${address.port}`,
      clientId: 'opaque-client',
      clientSecret: echoSecret,
      logger: { debug: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`) },
      retry: { maxAttempts: 1 },
    })
    try {
      const auth = await rejectionOf(tester.send(WORK_ITEM))
      expect(auth.kind).toBe('auth')
      const vendor = await rejectionOf(tester.listTemplates())
      expect(vendor.kind).toBe('vendor_error')
      for (const text of [...surfaces(auth), ...surfaces(vendor), ...lines]) {
        expect(text).not.toContain(token)
        expect(text).not.toContain(echoSecret)
      }
      expect(auth.message).toContain('[REDACTED]')
    } finally {
      tester.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})

describe('the tester without a tenant of its own', () => {
  it('never sends credentials anywhere but its token URL', async () => {
    const sim = await startSailPointSimulator()
    const tester: SailPointTester = createSailPointTester(simOptions(sim))
    try {
      await tester.send(WORK_ITEM)
      const grants = sim.inspect().tokenGrants
      expect(grants).toHaveLength(1)
      expect(
        sim.inspect().requests.map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`),
      ).toEqual(['POST /oauth/token', 'POST /beta/send-test-notification'])
    } finally {
      tester.close()
      await sim.close()
    }
  })
})
