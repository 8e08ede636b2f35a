import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createLoopbackTls } from '@notiprobe/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js'
import { cli, expectNoSecrets, json, startCli, startVendors, type Vendors } from './helpers.js'

/**
 * Corporate proxies, end to end: the built binary, the simulators served over HTTPS with their own
 * CA (trusted through NODE_EXTRA_CA_CERTS), and a real CONNECT proxy on 127.0.0.1 between them.
 */
let vendors: Vendors
let caFile: string
let open: ConnectProxy
let guarded: ConnectProxy
let refusing: ConnectProxy
const PASSWORD = 'proxy-pass-7f3c9a'

beforeAll(async () => {
  const tls = await createLoopbackTls()
  const server = { cert: tls.cert, key: tls.key }
  vendors = await startVendors({ apple: { tls: server }, sailpoint: { tls: server } })
  caFile = join(vendors.dir, 'simulator-tls-ca.pem')
  await writeFile(caFile, tls.caCertificatePem)
  ;[open, guarded, refusing] = await Promise.all([
    startConnectProxy(),
    startConnectProxy({ credentials: { user: 'ci-bot', password: PASSWORD } }),
    startConnectProxy({ refuse: true }),
  ])
})

afterAll(async () => {
  await Promise.all([vendors.close(), open.close(), guarded.close(), refusing.close()])
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
