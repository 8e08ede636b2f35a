import { createAppleTester, type AppleTester } from '@notiprobe/apple'
import { createGitHubTester } from '@notiprobe/github'
import { createSailPointTester, type SailPointTester } from '@notiprobe/sailpoint'
import {
  createLoopbackTls,
  startAppleSimulator,
  startGitHubSimulator,
  startSailPointSimulator,
  type AppleSimulator,
  type GitHubSimulator,
  type LoopbackTls,
  type SailPointSimulator,
} from '@notiprobe/simulator'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { rejectionOf, thrownBy } from '@notiprobe/core/testing'
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js'

/** The `proxy` and `ca` options every adapter takes from the kit, in process. */
let tls: LoopbackTls
let apple: AppleSimulator
let sailpoint: SailPointSimulator
let github: GitHubSimulator
let proxy: ConnectProxy
let refusing: ConnectProxy
const testers: { close(): void }[] = []

beforeAll(async () => {
  tls = await createLoopbackTls()
  const server = { cert: tls.cert, key: tls.key }
  ;[apple, sailpoint, github, proxy, refusing] = await Promise.all([
    startAppleSimulator({
      tls: server,
      rateLimits: 'off',
      environment: 'Production',
      // Delivery itself is not under test: an address where nothing listens will do.
      notificationUrl: 'http://127.0.0.1:9/notifications',
    }),
    startSailPointSimulator({ tls: server, rateLimits: 'off' }),
    startGitHubSimulator({ tls: server, rateLimits: 'off' }),
    startConnectProxy(),
    startConnectProxy({ refuse: true }),
  ])
})

afterEach(() => {
  vi.unstubAllEnvs()
  for (const tester of testers.splice(0)) tester.close()
})

afterAll(async () => {
  await Promise.all([
    apple.close(),
    sailpoint.close(),
    github.close(),
    proxy.close(),
    refusing.close(),
  ])
})

function appleTester(extra: Record<string, unknown>): AppleTester {
  const tester = createAppleTester({
    issuerId: apple.credentials.issuerId,
    keyId: apple.credentials.keyId,
    privateKey: apple.credentials.privateKeyPem,
    bundleId: apple.bundleId,
    environment: 'Production',
    appAppleId: apple.appAppleId,
    baseUrl: apple.baseUrl,
    rateLimits: 'off',
    ...extra,
  })
  testers.push(tester)
  return tester
}

function sailPointTester(extra: Record<string, unknown>): SailPointTester {
  const tester = createSailPointTester({
    baseUrl: sailpoint.baseUrl,
    ...sailpoint.credentials,
    rateLimits: 'off',
    ...extra,
  })
  testers.push(tester)
  return tester
}

const tunnelsTo = (url: string): number =>
  proxy.log.filter((line) => line.startsWith(`CONNECT ${new URL(url).host} 200`)).length

describe('proxy and ca options', () => {
  it('apple: ca trusts the simulator, proxy tunnels the call', async () => {
    const before = tunnelsTo(apple.baseUrl)
    const ticket = await appleTester({ ca: tls.caCertificatePem, proxy: proxy.url }).send()
    expect(ticket.vendor).toBe('apple')
    expect(tunnelsTo(apple.baseUrl)).toBe(before + 1)
  })

  it('sailpoint: the token fetch (openid-client) and the API both go through the proxy', async () => {
    const before = tunnelsTo(sailpoint.baseUrl)
    const templates = await sailPointTester({
      ca: tls.caCertificatePem,
      proxy: proxy.url,
    }).listTemplates()
    expect(templates.length).toBeGreaterThan(0)
    expect(tunnelsTo(sailpoint.baseUrl)).toBe(before + 2)
  })

  it('github: ca trusts the simulator, proxy tunnels the ping', async () => {
    const hook = github.createHook({
      target: { owner: 'octo', repo: 'hello' },
      // Delivery itself is not under test: an address where nothing listens will do.
      url: 'http://127.0.0.1:9/hook',
    })
    const tester = createGitHubTester({
      baseUrl: github.baseUrl,
      target: { owner: 'octo', repo: 'hello', hookId: hook.id },
      auth: { token: github.credentials.token },
      rateLimits: 'off',
      ca: tls.caCertificatePem,
      proxy: proxy.url,
    })
    testers.push(tester)
    const before = tunnelsTo(github.baseUrl)
    const ticket = await tester.send()
    expect(ticket.vendor).toBe('github')
    expect(tunnelsTo(github.baseUrl)).toBe(before + 1)
  })

  it('proxy: false goes direct whatever HTTPS_PROXY says', async () => {
    vi.stubEnv('HTTPS_PROXY', refusing.url)
    await expect(
      sailPointTester({ ca: [tls.caCertificatePem], proxy: false }).listTemplates(),
    ).resolves.not.toHaveLength(0)
    expect(refusing.log).toEqual([])
  })

  it('HTTPS_PROXY is honoured when no proxy option is given', async () => {
    vi.stubEnv('HTTPS_PROXY', refusing.url)
    const error = await rejectionOf(appleTester({ ca: tls.caCertificatePem }).send())
    expect(error).toMatchObject({ kind: 'network', vendor: 'apple' })
    expect(error.message).toContain(`the proxy ${refusing.url} (from HTTPS_PROXY) refused`)
  })

  it('without ca the simulator certificate is refused, and the request never left', async () => {
    const error = await rejectionOf(appleTester({ proxy: false, retry: { maxAttempts: 1 } }).send())
    expect(error.kind).toBe('network')
    expect(error.message).toContain('TLS certificate is not trusted')
    expect(error.message).not.toContain('may have reached')
  })

  it('a malformed proxy or ca is a config error naming the option', () => {
    const proxyError = thrownBy(() => appleTester({ proxy: 'ftp://proxy.corp' }))
    expect(proxyError.kind).toBe('config')
    expect(proxyError.message).toBe('proxy must be an http:// or https:// proxy URL (got ftp)')
    // A password %-encoded wrongly: named by its option or variable, the password never printed.
    const encodingError = thrownBy(() =>
      createGitHubTester({
        target: { owner: 'octo', repo: 'hello', hookId: 1 },
        auth: { token: 'ghp_scriptedToken0123456789' },
        proxy: 'http://u:s3cr%zzet@127.0.0.1:3128',
      }),
    )
    expect(encodingError).toMatchObject({ kind: 'config', vendor: 'github' })
    expect(encodingError.message).toMatch(
      /^proxy has a password that is not valid percent-encoding/,
    )
    vi.stubEnv('HTTPS_PROXY', 'http://u:s3cr%zzet@127.0.0.1:3128')
    const fromEnv = thrownBy(() => sailPointTester({}))
    expect(fromEnv).toMatchObject({ kind: 'config' })
    expect(fromEnv.message).toMatch(/^HTTPS_PROXY has a password that is not valid/)
    for (const error of [encodingError, fromEnv]) {
      expect(JSON.stringify(error) + error.message + String(error.stack)).not.toContain('s3cr')
    }
    const caError = thrownBy(() => sailPointTester({ ca: 'not a certificate' }))
    expect(caError.kind).toBe('config')
    expect(caError.message).toContain('ca: expected a PEM certificate')
  })
})
