import { inspect } from 'node:util'
import { NotificationTestError } from '@notiprobe/core'
import { afterEach, describe, expect, it } from 'vitest'
import { appleOptionsFromEnv, createAppleTester, type AppleTester } from '../src/index.js'
import { makeKey, testerOptions, type TestKey } from './helpers/keys.js'
import { sendJson, startLocalServer, type LocalServer } from './helpers/local-server.js'
import { FakeClock } from '@notiprobe/core/testing'
import { rejectionOf, thrownBy } from '@notiprobe/core/testing'

const TOKEN = '0f6b9a44-8d2c-4c1e-9a51-3c3f1d1e2a10_1893456000000'
let server: LocalServer | undefined
let tester: AppleTester | undefined

afterEach(async () => {
  tester?.close()
  await server?.close()
  server = undefined
})

/** Every way an error can be shown. */
function renderings(error: unknown): string[] {
  const e = error as NotificationTestError
  return [
    e.message,
    e.stack ?? '',
    JSON.stringify(e),
    inspect(e),
    inspect(e, { depth: 10, showHidden: true }),
    String(e),
    inspect({ wrapped: e }),
  ]
}

/** Fragments that would give a secret away: the key body, its lines, JWTs, Bearer values. */
function expectNoSecret(
  texts: readonly string[],
  key: TestKey,
  jwts: readonly string[] = [],
): void {
  const keyLines = key.pem
    .split('\n')
    .filter((line) => line.length > 20 && !line.startsWith('-----'))
  for (const text of texts) {
    expect(text).not.toContain(key.body)
    for (const line of keyLines) expect(text).not.toContain(line)
    for (const jwt of jwts) {
      expect(text).not.toContain(jwt)
      expect(text).not.toContain(jwt.split('.')[2])
    }
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/)
    expect(text).not.toMatch(/Bearer\s+(?!\[REDACTED)/)
  }
}

function bearer(authorization: string | undefined): string {
  return /^Bearer (.+)$/.exec(authorization ?? '')![1]
}

describe('no secret is ever shown', () => {
  it('when the key is damaged, in the wrong form or on the wrong curve', () => {
    const key = makeKey()
    // Bytes of the ASN.1 header: damaging the private scalar itself would give another valid key.
    const damaged = key.pem.replace(key.body.slice(4, 24), 'B'.repeat(20))
    const forms = [
      damaged,
      damaged.replace(/\n/g, '\\n'),
      key.body.slice(0, 150) + '!!',
      makeKey('P-384').pem,
    ]
    for (const privateKey of forms) {
      const error = thrownBy(() => createAppleTester({ ...testerOptions(key), privateKey }))
      expect(error).toBeInstanceOf(NotificationTestError)
      expectNoSecret(renderings(error), key)
      expectNoSecret(renderings(error), {
        ...key,
        body: damaged.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''),
      })
    }
  })

  it('when the key is put where a path belongs', () => {
    const key = makeKey()
    const error = thrownBy(() =>
      createAppleTester(
        appleOptionsFromEnv({
          APPLE_ISSUER_ID: testerOptions().issuerId,
          APPLE_KEY_ID: 'ABCDEFGHIJ',
          APPLE_BUNDLE_ID: 'com.example.app',
          APPLE_PRIVATE_KEY_FILE: key.pem,
        }),
      ),
    )
    expectNoSecret(renderings(error), key)
  })

  it('when Apple (or a proxy) echoes the token and the key back in an error body', async () => {
    const key = makeKey()
    server = await startLocalServer((request, res) => {
      const echo = `Unauthenticated\n\nRequest ID: ABC.0.0\nauthorization: ${request.headers.authorization ?? ''}\nkey ${key.pem}`
      if (request.url.endsWith('/test')) {
        res.writeHead(401, { 'content-type': 'text/plain' })
        res.end(echo)
      } else {
        res.writeHead(502, { 'content-type': 'text/html' })
        res.end(`<html>${echo}</html>`)
      }
    })
    const logs: string[] = []
    tester = createAppleTester({
      ...testerOptions(key),
      baseUrl: server.baseUrl,
      rateLimits: 'off',
      clock: new FakeClock(),
      logger: { debug: (message, fields) => logs.push(`${message} ${JSON.stringify(fields)}`) },
    })
    const auth = await rejectionOf(tester.send())
    const bad = await rejectionOf(tester.getTestNotificationStatus(TOKEN))
    expect(auth).toMatchObject({ kind: 'auth', requestId: 'ABC.0.0' })
    expect(bad).toMatchObject({ kind: 'vendor_error', httpStatus: 502 })
    const jwts = server.received.map((request) => bearer(request.headers.authorization))
    expect(jwts.length).toBeGreaterThan(1)
    expectNoSecret([...renderings(auth), ...renderings(bad), ...logs], key, jwts)
    expect(logs.length).toBeGreaterThan(0)
  })

  it('when the connection fails, before and after the request left', async () => {
    const key = makeKey()
    server = await startLocalServer((_request, res) => res.socket?.destroy())
    const options = {
      ...testerOptions(key),
      rateLimits: 'off',
      clock: new FakeClock(),
      retry: { maxAttempts: 2 },
    } as const
    tester = createAppleTester({ ...options, baseUrl: 'http://127.0.0.1:1' })
    const refused = await rejectionOf(tester.send())
    expect(refused).toMatchObject({ kind: 'network' })
    tester.close()
    tester = createAppleTester({ ...options, baseUrl: server.baseUrl })
    const dropped = await rejectionOf(tester.getTestNotificationStatus(TOKEN))
    expect(dropped).toMatchObject({ kind: 'network' })
    const jwts = server.received.map((r) => bearer(r.headers.authorization))
    expect(jwts).toHaveLength(2)
    expectNoSecret([...renderings(refused), ...renderings(dropped)], key, jwts)
  })

  it('when a response does not have Apple’s shape', async () => {
    const key = makeKey()
    server = await startLocalServer((request, res) =>
      sendJson(res, 200, { echoed: request.headers.authorization, privateKey: key.pem }),
    )
    tester = createAppleTester({
      ...testerOptions(key),
      baseUrl: server.baseUrl,
      rateLimits: 'off',
    })
    const error = await rejectionOf(tester.send())
    expect(error).toMatchObject({ kind: 'invalid_response' })
    expectNoSecret(
      renderings(error),
      key,
      server.received.map((r) => bearer(r.headers.authorization)),
    )
  })

  it('in the tester itself', () => {
    const key = makeKey()
    tester = createAppleTester(testerOptions(key))
    const texts = [
      inspect(tester),
      inspect(tester, { showHidden: true, depth: 10 }),
      JSON.stringify(tester),
      String(Object.keys(tester)),
    ]
    expectNoSecret(texts, key)
    expect(inspect(tester)).toBe(
      "AppleTester { environment: 'Sandbox', bundleId: 'com.example.app', baseUrl: 'https://api.storekit-sandbox.apple.com' }",
    )
    expect(JSON.parse(JSON.stringify(tester))).toEqual({
      vendor: 'apple',
      environment: 'Sandbox',
      bundleId: 'com.example.app',
      baseUrl: 'https://api.storekit-sandbox.apple.com',
    })
  })
})
