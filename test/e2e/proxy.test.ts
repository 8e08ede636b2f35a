import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls'
import { createLoopbackTls } from '@notiprobe/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js'
import {
  cli,
  expectNoSecrets,
  json,
  ROOT,
  startCli,
  startVendors,
  type Vendors,
} from './helpers.js'

/**
 * Corporate proxies, end to end: the built binary, the simulators served over HTTPS with their own
 * CA (trusted through NODE_EXTRA_CA_CERTS), and a real CONNECT proxy on 127.0.0.1 between them.
 */
let vendors: Vendors
let caFile: string
let open: ConnectProxy
let guarded: ConnectProxy
let refusing: ConnectProxy
let overTls: ConnectProxy
let serverTls: { cert: string; key: string }
const PASSWORD = 'proxy-pass-7f3c9a'

beforeAll(async () => {
  const tls = await createLoopbackTls()
  serverTls = { cert: tls.cert, key: tls.key }
  vendors = await startVendors({ apple: { tls: serverTls }, sailpoint: { tls: serverTls } })
  caFile = join(vendors.dir, 'simulator-tls-ca.pem')
  await writeFile(caFile, tls.caCertificatePem)
  ;[open, guarded, refusing, overTls] = await Promise.all([
    startConnectProxy(),
    startConnectProxy({ credentials: { user: 'ci-bot', password: PASSWORD } }),
    startConnectProxy({ refuse: true }),
    startConnectProxy({ tls: serverTls }),
  ])
})

afterAll(async () => {
  await Promise.all([
    vendors.close(),
    open.close(),
    guarded.close(),
    refusing.close(),
    overTls.close(),
  ])
})

const hostOf = (url: string): string => new URL(url).host
const appleTest = (): string[] => [
  'apple',
  'test',
  '--wait',
  '--json',
  '--base-url',
  vendors.apple.baseUrl,
]
const sailpointTest = (): string[] => [
  'sailpoint',
  'test',
  '--key',
  'cloud_manual_work_item_summary',
  '--medium',
  'EMAIL',
  '--context',
  '{"numberOfPendingTasks": "2"}',
  '--json',
  '--base-url',
  vendors.sailpoint.baseUrl,
]
const env = (extra: Record<string, string>): Record<string, string> => ({
  ...vendors.env,
  NODE_EXTRA_CA_CERTS: caFile,
  ...extra,
})
const tunnels = (proxy: ConnectProxy, url: string): string[] =>
  proxy.log.filter((line) => line.startsWith(`CONNECT ${hostOf(url)} 200 tunnel open`))

describe('through a CONNECT proxy', () => {
  it('simulators really serve HTTPS: a client without their CA is refused, naming the fix', async () => {
    const result = await cli(
      ['apple', 'status', 'x', '--json', '--base-url', vendors.apple.baseUrl],
      {
        env: { ...vendors.env },
      },
    )
    expect(result.code).toBe(4)
    const { error } = json<{ error: { kind: string; message: string } }>(result)
    expect(error.kind).toBe('network')
    expect(error.message).toContain('TLS certificate is not trusted')
    expect(error.message).toContain('NODE_EXTRA_CA_CERTS')
  })

  it('HTTPS_PROXY carries Apple test, status polls and SailPoint (token included) through tunnels', async () => {
    const apple = await cli(appleTest(), { env: env({ HTTPS_PROXY: open.url }) })
    expect(apple.code, apple.stdout).toBe(0)
    expect(json(apple)).toMatchObject({ ok: true, state: 'delivered' })
    expect(tunnels(open, vendors.apple.baseUrl).length).toBeGreaterThanOrEqual(1)

    const sail = await cli(sailpointTest(), { env: env({ https_proxy: open.url }) })
    expect(sail.code, sail.stdout).toBe(0)
    expect(json(sail)).toMatchObject({ ok: true, state: 'accepted' })
    // The token endpoint and the API each have their own connection: two tunnels at least.
    expect(tunnels(open, vendors.sailpoint.baseUrl).length).toBeGreaterThanOrEqual(2)
    // Only tunnels: no request ever reached the proxy in clear.
    expect(open.log.filter((line) => !line.startsWith('CONNECT '))).toEqual([])
  })

  it("an https:// proxy: TLS to the proxy as well, its certificate trusted as the vendors' are", async () => {
    const apple = await cli(appleTest(), { env: env({ HTTPS_PROXY: overTls.url }) })
    expect(apple.code, apple.stdout).toBe(0)
    expect(json(apple)).toMatchObject({ ok: true, state: 'delivered' })
    const sail = await cli([...sailpointTest(), '--proxy', overTls.url], { env: env({}) })
    expect(sail.code, sail.stdout).toBe(0)
    expect(tunnels(overTls, vendors.apple.baseUrl).length).toBeGreaterThanOrEqual(1)
    expect(tunnels(overTls, vendors.sailpoint.baseUrl).length).toBeGreaterThanOrEqual(2)
    expect(overTls.log.filter((line) => !line.startsWith('CONNECT '))).toEqual([])
  })

  it('an https:// proxy whose answer to CONNECT never ends: cut off by its size, not the deadline', async () => {
    // Over TLS what the proxy sends is counted under TLS, where a plain proxy's is counted on the
    // socket: this one sends 200 KB of header lines, and no end to them.
    let closedAfter: () => void = () => undefined
    const closed = new Promise<void>((done) => (closedAfter = done))
    const endless: TlsServer = createTlsServer(serverTls, (socket) => {
      socket.on('error', () => undefined)
      socket.once('data', () => {
        const padding = `X-Padding: ${'a'.repeat(1000)}\r\n`.repeat(200)
        socket.write(`HTTP/1.1 200 Connection established\r\n${padding}`)
      })
      socket.on('close', closedAfter)
    })
    await new Promise<void>((done) => endless.listen(0, '127.0.0.1', done))
    const url = `https://127.0.0.1:${String((endless.address() as AddressInfo).port)}`
    try {
      const result = await cli([...appleTest(), '--timeout', '10m'], {
        env: env({ HTTPS_PROXY: url }),
      })
      expect(result.code, result.stdout).toBe(4)
      const { error } = json<{ error: { kind: string; message: string } }>(result)
      expect(error.kind).toBe('network')
      expect(error.message).toContain(
        `the proxy sent more than 81920 bytes over TLS without ending its answer to CONNECT (ETLSPROXYREPLYTOOLARGE) talking to the proxy ${url} (from HTTPS_PROXY)`,
      )
      await closed // the client hung up
    } finally {
      endless.close()
    }
  })

  it('an idle tunnel through an https:// proxy does not hold a program open', async () => {
    // A vendor that never closes an idle connection: the program ends only if notiprobe's kept
    // connection lets it, as http.Agent's do (TLS to the proxy is read through JS, and the TCP
    // socket under it must be let go of by hand).
    const vendor = createHttpsServer(serverTls, (_req, res) => {
      res.setHeader('content-type', 'application/json').end('{"ok":true}')
    })
    vendor.keepAliveTimeout = 0
    await new Promise<void>((done) => vendor.listen(0, '127.0.0.1', done))
    const vendorUrl = `https://127.0.0.1:${String((vendor.address() as AddressInfo).port)}`
    try {
      const lines = await transportProgram({ baseUrl: vendorUrl, proxy: overTls.url, requests: 2 })
      expect(lines).toEqual(['{"ok":true}', '{"ok":true}'])
      // The second request went through the first one's tunnel, kept for it.
      expect(tunnels(overTls, vendorUrl)).toHaveLength(1)
    } finally {
      vendor.closeAllConnections()
      vendor.close()
    }
  })

  it('an https:// proxy that never answers: the deadline ends the request and its connection', async () => {
    let closedAfter: (bytes: number) => void = () => undefined
    const closed = new Promise<number>((done) => (closedAfter = done))
    const silent: TlsServer = createTlsServer(serverTls, (socket) => {
      socket.on('error', () => undefined)
      socket.on('close', () => closedAfter(socket.bytesWritten))
      socket.resume() // reads the CONNECT, and so sees the client hang up
    })
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done))
    const url = `https://127.0.0.1:${String((silent.address() as AddressInfo).port)}`
    try {
      // The program exits by itself (else this test times out): nothing it opened stays open.
      const lines = await transportProgram({
        baseUrl: 'https://vendor.example',
        proxy: url,
        requests: 1,
        timeoutMs: 300,
      })
      expect(lines).toEqual(['timeout'])
      // The connection the program opened was closed (the proxy never said a word on it).
      await expect(closed).resolves.toBe(0)
    } finally {
      silent.close()
    }
  })

  it('NO_PROXY sends matching hosts direct', async () => {
    const before = open.log.length
    const result = await cli(appleTest(), {
      env: env({ HTTPS_PROXY: open.url, NO_PROXY: 'localhost,127.0.0.1' }),
    })
    expect(result.code).toBe(0)
    expect(open.log.slice(before)).toEqual([])
  })

  it('--proxy names the proxy on the command line; HTTP_PROXY is not used for https', async () => {
    const before = open.log.length
    const result = await cli([...sailpointTest(), '--proxy', open.url], {
      env: env({ HTTP_PROXY: refusing.url }),
    })
    expect(result.code, result.stdout).toBe(0)
    expect(open.log.length).toBeGreaterThan(before)
    expect(refusing.log).toEqual([])
  })

  it('a proxy that needs Proxy-Authorization gets it from the URL, and the password is never printed', async () => {
    const proxyUrl = guarded.url.replace('//', `//ci-bot:${PASSWORD}@`)
    const result = await cli(appleTest(), { env: env({ HTTPS_PROXY: proxyUrl }) })
    expect(result.code, result.stdout).toBe(0)
    expect(guarded.log.some((line) => line.endsWith('200 tunnel open (credentials ok)'))).toBe(true)
    expect(result.stdout + result.stderr).not.toContain(PASSWORD)
    expectNoSecrets(result, vendors)
  })

  it('wrong proxy credentials: a network error naming the proxy (407), not the vendor, without the password', async () => {
    const proxyUrl = guarded.url.replace('//', `//ci-bot:not-${PASSWORD}@`)
    for (const json_ of [true, false]) {
      const args = appleTest().filter((a) => json_ || a !== '--json')
      const result = await cli(args, { env: env({ HTTPS_PROXY: proxyUrl }) })
      expect(result.code).toBe(4)
      const text = result.stdout + result.stderr
      expect(text).toContain(
        `the proxy ${guarded.url} (from HTTPS_PROXY) refused to open a tunnel to ${hostOf(vendors.apple.baseUrl)} (HTTP 407)`,
      )
      expect(text).toContain('apple was not contacted')
      expect(text).not.toContain(PASSWORD)
    }
    expect(
      guarded.log.some((line) =>
        line.includes('407 proxy authentication required (wrong credentials)'),
      ),
    ).toBe(true)
  })

  it('a proxy that refuses: a network error naming the proxy, and the vendor never saw the request', async () => {
    const seen = vendors.sailpoint.inspect().requests.length
    const result = await cli(sailpointTest(), { env: env({ HTTPS_PROXY: refusing.url }) })
    expect(result.code).toBe(4)
    const { error } = json<{ error: Record<string, unknown> }>(result)
    expect(error).toMatchObject({ kind: 'network', vendor: 'sailpoint' })
    expect(error.message).toContain(
      `the proxy ${refusing.url} (from HTTPS_PROXY) refused to open a tunnel`,
    )
    expect(error.message).toContain('(HTTP 403)')
    expect(error.httpStatus).toBeUndefined()
    expect(vendors.sailpoint.inspect().requests.length).toBe(seen)
  })

  it('a proxy that is down: the connection error names the proxy', async () => {
    const down = await startConnectProxy()
    await down.close()
    const result = await cli(appleTest(), { env: env({ HTTPS_PROXY: down.url }) })
    expect(result.code).toBe(4)
    const { error } = json<{ error: { message: string } }>(result)
    expect(error.message).toContain(
      `(ECONNREFUSED) talking to the proxy ${down.url} (from HTTPS_PROXY), before any tunnel to ${hostOf(vendors.apple.baseUrl)}`,
    )
  })

  it('--proxy refuses a password (it would show in ps and shell history) without printing it', async () => {
    const result = await cli([
      'apple',
      'status',
      'x',
      '--proxy',
      `http://u:${PASSWORD}@127.0.0.1:1`,
    ])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('put the proxy URL with its credentials in HTTPS_PROXY instead')
    expect(result.stdout + result.stderr).not.toContain(PASSWORD)
  })

  it('`simulate --tls` serves HTTPS and its env file trusts the CA; a client reaches it through the proxy', async () => {
    const simulate = startCli(['simulate', '--tls', '--json', '--timeout', '20s'], {
      killAfterMs: 25_000,
    })
    try {
      const info = JSON.parse(await simulate.firstLine) as {
        apple: { baseUrl: string }
        sailpoint: { baseUrl: string }
        tls: { caCertificateFile: string }
        env: Record<string, string>
      }
      expect(info.apple.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      expect(info.sailpoint.baseUrl).toMatch(/^https:\/\//)
      expect(info.env.NODE_EXTRA_CA_CERTS).toBe(info.tls.caCertificateFile)
      const before = tunnels(open, info.sailpoint.baseUrl).length
      const result = await cli(['sailpoint', 'templates', '--json'], {
        env: { ...info.env, HTTPS_PROXY: open.url },
      })
      expect(result.code, result.stdout).toBe(0)
      expect(tunnels(open, info.sailpoint.baseUrl).length).toBeGreaterThanOrEqual(before + 2)
    } finally {
      simulate.child.kill('SIGINT')
      await simulate.done
    }
  })
})

/**
 * Runs a program that makes `requests` GET requests with core's Transport and prints each answer's
 * JSON, or the error's kind; it ends without closing the transport, as a careless program would.
 * Resolves with its lines once it exits by itself; rejects if it fails.
 */
async function transportProgram(settings: {
  baseUrl: string
  proxy: string
  requests: number
  timeoutMs?: number
}): Promise<string[]> {
  const script = join(vendors.dir, 'transport-program.mjs')
  const adapter = pathToFileURL(join(ROOT, 'packages/core/dist/bundle/adapter.js')).href
  await writeFile(
    script,
    `import { Transport, createDeadline, systemClock } from ${JSON.stringify(adapter)}
const { baseUrl, proxy, requests, timeoutMs = 10_000 } = JSON.parse(process.argv[2])
const mapError = () => { throw new Error('no error expected') }
const transport = new Transport({ vendor: 'acme', baseUrl, proxy, mapError })
const operation = { name: 'acme.read', label: 'Reading the acme thing' }
for (let i = 0; i < requests; i++) {
  const deadline = createDeadline({ timeoutMs }, systemClock)
  const request = { operation, method: 'GET', path: '/thing', callKind: 'read', deadline }
  await transport.request(request).then(
    (response) => console.log(JSON.stringify(response.json)),
    (error) => console.log(error.kind),
  )
  deadline.dispose()
}
`,
  )
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [script, JSON.stringify(settings)],
    {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
    },
  )
  return stdout.trim().split('\n')
}
