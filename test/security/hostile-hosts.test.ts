import { appleOptionsFromEnv, createAppleTester, type AppleTesterOptions } from '@notiprobe/apple'
import { isNotificationTestError } from '@notiprobe/core'
import { createSailPointTester, sailPointOptionsFromEnv } from '@notiprobe/sailpoint'
import {
  startAppleSimulator,
  startSailPointSimulator,
  type AppleSimulator,
  type SailPointSimulator,
} from '@notiprobe/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportFigures, tally } from '../support/figures.js'
import { LeakScanner } from '../support/leaks.js'
import { startConnectionCounter, type ConnectionCounter } from '../support/servers.js'

/**
 * Tenants, base URLs and token URLs built to send credentials somewhere else: a tenant that is a
 * host with a fragment or path, user info and `@` tricks, the cloud metadata address in every
 * encoding, IPv6, `http` to hosts off this machine, a token URL on another origin. Each is refused
 * with a `config` error naming the field or variable, before any request: the simulators and a
 * listener standing in for the attacker's host count none. A construction that wrongly succeeds is
 * never used, so no test request ever leaves 127.0.0.1.
 */

const SECRET = 'planted-client-secret-0123456789abcdef'

interface Row {
  readonly input: string
  /** Set when the row is refused only once a defect is fixed (see the report). */
  readonly defect?: string
}

const DEFECT_METADATA =
  'DEFECT 4: core checkBaseUrl accepts https base URLs whose host is a link-local or cloud-metadata IP literal'
const DEFECT_BACKSLASH =
  'DEFECT 4: core checkBaseUrl accepts a backslash before `@` (https://evil.com\\@vendor.com parses to evil.com)'

describe('hostile tenants and base URLs', () => {
  let apple: AppleSimulator
  let sailpoint: SailPointSimulator
  let evil: ConnectionCounter
  const scanner = new LeakScanner().plant(SECRET)
  const figures = {
    tried: 0,
    refusedWithConfig: 0,
    byField: {} as Record<string, number>,
    knownDefectRowsSkipped: 0,
    requestsAtSimulators: 0,
    connectionsToAttackerHost: 0,
  }
  const defects: string[] = []

  beforeAll(async () => {
    apple = await startAppleSimulator({ rateLimits: 'off' })
    sailpoint = await startSailPointSimulator({ rateLimits: 'off' })
    evil = await startConnectionCounter()
  })

  afterAll(async () => {
    figures.requestsAtSimulators =
      apple.inspect().requests.length + sailpoint.inspect().requests.length
    figures.connectionsToAttackerHost = evil.count()
    reportFigures('hostile tenants and base URLs', {
      ...figures,
      knownDefectRows: defects,
      leakScan: scanner.report(),
    })
    await apple.close()
    await sailpoint.close()
    await evil.close()
    expect(figures.requestsAtSimulators).toBe(0)
    expect(figures.connectionsToAttackerHost).toBe(0)
    expect(scanner.leaks).toEqual([])
  })

  /** Expects `construct` to throw a config error whose message names `field`. */
  function expectRefused(field: string, input: string, construct: () => unknown): void {
    figures.tried++
    let error: unknown
    try {
      const made = construct() as { close?: () => void }
      made.close?.()
    } catch (caught) {
      error = caught
    }
    expect(error, `${field} ${JSON.stringify(input)} was accepted`).toBeDefined()
    if (!isNotificationTestError(error)) throw error
    expect(error.kind, `${field} ${JSON.stringify(input)}`).toBe('config')
    expect(error.message, `${field} ${JSON.stringify(input)}`).toContain(field)
    scanner.scanError(`${field} ${JSON.stringify(input)}`, error)
    figures.refusedWithConfig++
    tally(figures.byField, field)
  }

  const attacker = () => evil.host
  const simHost = () => new URL(sailpoint.baseUrl).host

  const tenants = (): Row[] => [
    { input: 'evil.com#' },
    { input: 'evil.com' },
    { input: 'a.b' },
    { input: 'evil.com/' },
    { input: 'evil.com?' },
    { input: 'evil.com#x' },
    { input: `${attacker()}#` },
    { input: `${attacker()}/x#` },
    { input: attacker() },
    { input: `${simHost()}/` },
    { input: '169.254.169.254' },
    { input: '169.254.169.254/x#' },
    { input: '169.254.169.254#' },
    { input: `acme@${attacker()}#` },
    { input: 'acme:pw@evil.com#' },
    { input: '@evil.com' },
    { input: 'acme%2eevil.com' },
    { input: 'acme%23' },
    { input: 'acme%2F..' },
    { input: 'acme\\evil.com' },
    { input: 'acme/../evil' },
    { input: '[::1]' },
    { input: '::1' },
    { input: '[fd00:ec2::254]' },
    { input: '0xa9fea9fe.evil' },
    { input: 'acme..' },
    { input: '.acme' },
    { input: 'acme.' },
    { input: '-acme' },
    { input: 'acme-' },
    { input: 'a'.repeat(64) },
    { input: '' },
    { input: ' acme' },
    { input: 'acme ' },
    { input: 'acme\n' },
    { input: 'acme\r\nHost: evil.com' },
    { input: 'acme\u0000' },
    { input: '\u0430cme' },
    { input: 'acme\u200b' },
    { input: 'ACME.evil.com' },
    { input: 'acme:443' },
    { input: 'acme:80#' },
    { input: `acme.api.identitynow.com@${attacker()}` },
  ]

  const baseUrls = (): Row[] => [
    { input: 'http://evil.com' },
    { input: 'http://169.254.169.254' },
    { input: 'http://169.254.169.254/latest/meta-data/' },
    { input: 'http://[fd00:ec2::254]' },
    { input: 'http://[::ffff:169.254.169.254]' },
    { input: 'http://[::ffff:a9fe:a9fe]' },
    { input: 'http://0xa9fea9fe' },
    { input: 'http://2852039166' },
    { input: 'http://169.254.169.254.nip.io' },
    { input: 'http://10.0.0.1' },
    { input: `http://0.0.0.0:${String(evil.port)}` },
    { input: 'http://localhost.evil.com' },
    { input: 'http://127.0.0.1.evil.com' },
    { input: 'http://127.0.0.1.nip.io' },
    { input: `http://[::ffff:127.0.0.1]:${String(evil.port)}` },
    { input: `http://localhost.:${String(evil.port)}` },
    { input: `https://user:pass@${attacker()}` },
    { input: `http://user@${attacker()}` },
    { input: `http://${attacker()}#@api.storekit.apple.com` },
    { input: `http://${attacker()}?@api.storekit.apple.com` },
    { input: `https://api.storekit.apple.com@${attacker()}` },
    { input: 'https://api.storekit.apple.com:443@evil.com' },
    { input: 'https://api.storekit.apple.com%2f@evil.com' },
    { input: `http://${attacker()}/#` },
    { input: `http://${attacker()}/?x=1` },
    { input: 'ftp://evil.com' },
    { input: 'file:///etc/passwd' },
    { input: 'javascript:alert(1)' },
    { input: 'ws://127.0.0.1:1' },
    { input: '//evil.com' },
    { input: 'evil.com' },
    { input: '/inApps' },
    { input: '' },
    { input: 'https://' },
    { input: 'HTTP://EVIL.COM' },
    { input: 'https://169.254.169.254', defect: DEFECT_METADATA },
    { input: 'https://0xa9fea9fe', defect: DEFECT_METADATA },
    { input: 'https://2852039166', defect: DEFECT_METADATA },
    { input: 'https://[fd00:ec2::254]', defect: DEFECT_METADATA },
    { input: 'https://[::ffff:a9fe:a9fe]', defect: DEFECT_METADATA },
    { input: 'https://evil.com\\@api.storekit.apple.com', defect: DEFECT_BACKSLASH },
  ]

  const appleBase = (): AppleTesterOptions => ({
    issuerId: apple.credentials.issuerId,
    keyId: apple.credentials.keyId,
    privateKey: apple.credentials.privateKeyPem,
    bundleId: apple.bundleId,
    environment: 'Sandbox',
  })

  const sailpointCredentials = () => ({ clientId: 'hostile-tests', clientSecret: SECRET })

  const rows = (list: () => Row[], name: string, check: (row: Row) => void, defects = false) => {
    it(`${name}: every one refused`, () => {
      for (const row of list().filter((entry) => entry.defect === undefined)) check(row)
    })
    if (!defects) return
    // DEFECT 4: the rows below are accepted today; see the report.
    it(`${name}: refused (DEFECT 4, fixed)`, () => {
      for (const row of list().filter((entry) => entry.defect !== undefined)) check(row)
    })
  }

  it('the loopback forms the simulator needs are accepted (the checks are not refusing all)', () => {
    const port = new URL(apple.baseUrl).port
    for (const baseUrl of [
      apple.baseUrl,
      `http://localhost:${port}`,
      `http://[::1]:${port}`,
      `http://127.1:${port}`,
      'https://api.storekit-sandbox.apple.com',
    ]) {
      createAppleTester({ ...appleBase(), baseUrl }).close()
    }
    createSailPointTester({ tenant: 'acme', ...sailpointCredentials() }).close()
    createSailPointTester({ tenant: 'xn--80ak6aa92e', ...sailpointCredentials() }).close()
    createSailPointTester({ baseUrl: sailpoint.baseUrl, ...sailpointCredentials() }).close()
  })

  rows(tenants, 'SailPoint tenant', ({ input }) => {
    expectRefused('tenant', input, () =>
      createSailPointTester({ tenant: input, ...sailpointCredentials() }),
    )
    expectRefused('SAIL_TENANT', input, () =>
      createSailPointTester(
        sailPointOptionsFromEnv(
          { SAIL_TENANT: input, SAIL_CLIENT_ID: 'hostile-tests', SAIL_CLIENT_SECRET: SECRET },
          {},
        ),
      ),
    )
  })

  rows(
    baseUrls,
    'SailPoint baseUrl',
    ({ input }) => {
      if (input === '') return
      expectRefused('baseUrl', input, () =>
        createSailPointTester({ baseUrl: input, ...sailpointCredentials() }),
      )
      expectRefused('SAIL_BASE_URL', input, () =>
        createSailPointTester(
          sailPointOptionsFromEnv(
            { SAIL_BASE_URL: input, SAIL_CLIENT_ID: 'hostile-tests', SAIL_CLIENT_SECRET: SECRET },
            {},
          ),
        ),
      )
    },
    true,
  )

  rows(
    baseUrls,
    'Apple baseUrl',
    ({ input }) => {
      expectRefused('baseUrl', input, () => createAppleTester({ ...appleBase(), baseUrl: input }))
      if (input === '') return
      expectRefused('APPLE_BASE_URL', input, () =>
        createAppleTester(
          appleOptionsFromEnv({
            APPLE_ISSUER_ID: apple.credentials.issuerId,
            APPLE_KEY_ID: apple.credentials.keyId,
            APPLE_PRIVATE_KEY: apple.credentials.privateKeyPem,
            APPLE_BUNDLE_ID: apple.bundleId,
            APPLE_BASE_URL: input,
          }),
        ),
      )
    },
    true,
  )

  it('SailPoint tokenUrl: anything off the API origin is refused', () => {
    const base = sailpoint.baseUrl
    const port = new URL(base).port
    const tokenUrls = [
      `http://${attacker()}/oauth/token`,
      `http://localhost:${port}/oauth/token`,
      `http://[::1]:${port}/oauth/token`,
      `${base}/oauth/token#`,
      `${base}/oauth/token?client_secret=x`,
      `http://x@${new URL(base).host}/oauth/token`,
      `${base.replace('http:', 'https:')}/oauth/token`,
      base,
      '//evil.com/oauth/token',
      '/oauth/token',
      'https://evil.com/oauth/token',
      `http://169.254.169.254/oauth/token`,
    ]
    for (const tokenUrl of tokenUrls) {
      expectRefused('tokenUrl', tokenUrl, () =>
        createSailPointTester({ baseUrl: base, tokenUrl, ...sailpointCredentials() }),
      )
      expectRefused('SAIL_TOKEN_URL', tokenUrl, () =>
        createSailPointTester(
          sailPointOptionsFromEnv(
            {
              SAIL_BASE_URL: base,
              SAIL_TOKEN_URL: tokenUrl,
              SAIL_CLIENT_ID: 'hostile-tests',
              SAIL_CLIENT_SECRET: SECRET,
            },
            {},
          ),
        ),
      )
    }
  })

  it('a tenant and a base URL together are refused, whichever is hostile', () => {
    expectRefused('tenant', 'acme', () =>
      createSailPointTester({
        tenant: 'acme',
        baseUrl: `http://${attacker()}`,
        ...sailpointCredentials(),
      }),
    )
  })

  it('lists the rows a defect keeps accepted', () => {
    for (const row of baseUrls()) {
      if (row.defect !== undefined) {
        figures.knownDefectRowsSkipped++
        defects.push(`${row.input}: ${row.defect}`)
      }
    }
    expect(defects.length).toBeGreaterThan(0)
  })
})
