import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ANSI,
  cli,
  expectNoSecrets,
  json,
  ndjson,
  startAcknowledgerWithMessage,
  startCli,
  startVendors,
  type Vendors,
} from './helpers.js'

let vendors: Vendors
/** Its notification URL answers 404: Apple's delivery fails. */
let failing: Vendors
/** Faults on history (5xx) and on test requests (429). */
let faulty: Vendors
/** Status checks that take 20 s, to interrupt. */
let slow: Vendors
let base: string[]

beforeAll(async () => {
  ;[vendors, failing, faulty, slow] = await Promise.all([
    startVendors(),
    startVendors(),
    startVendors(),
    startVendors(),
  ])
  failing.apple.setNotificationUrl(`${failing.apple.baseUrl}/nowhere`)
  faulty.apple.faults.set('getNotificationHistory', { kind: 'status', status: 500 })
  faulty.apple.faults.set('requestTestNotification', { kind: 'rateLimit' })
  slow.apple.faults.set('getTestNotificationStatus', { kind: 'latency', latencyMs: 20_000 })
  base = ['--base-url', vendors.apple.baseUrl]
})

afterAll(async () => {
  await Promise.all([vendors.close(), failing.close(), faulty.close(), slow.close()])
})

const env = (): Record<string, string> => vendors.env

// One concurrent block, the slowest test first: its waits overlap everything else.
describe.concurrent('notiprobe apple', () => {
  it('perf-test starts a run, and --request-id --wait follows that run to PASS', async () => {
    const realtime = await startAcknowledgerWithMessage()
    const local = await startVendors({ apple: { realtimeUrl: realtime.url } })
    const perfTest = ['apple', 'perf-test', '--original-transaction-id', '2000000123456789']
    try {
      const started = await cli([...perfTest, '--json', '--base-url', local.apple.baseUrl], {
        env: local.env,
      })
      expect(started.code).toBe(0)
      const doc = json<{ requestId: string }>(started)
      expect(doc).toMatchObject({
        ok: true,
        config: { totalRequests: 10, maxConcurrentRequests: 5 },
      })
      expect(doc.requestId).toMatch(/\S/)

      // Sandbox-only results are read a second apart (Apple's hourly budget, 360 an hour); the
      // first read is at once. No new run is started: the simulator still knows one.
      const result = await cli(
        [
          'apple',
          'perf-test',
          '--request-id',
          doc.requestId,
          '--wait',
          '--json',
          '--base-url',
          local.apple.baseUrl,
        ],
        { env: local.env },
      )
      expect(local.apple.inspect().performanceTests).toHaveLength(1)
      expect(result.code).toBe(0)
      expect(json(result)).toMatchObject({
        ok: true,
        result: 'PASS',
        successRate: 100,
        numPending: 0,
      })
    } finally {
      await Promise.all([local.close(), realtime.close()])
    }
  })

  it('--wait confirms delivery and verifies the signed payload (--json)', async () => {
    const result = await cli(['apple', 'test', '--wait', '--json', ...base], { env: env() })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const doc = json(result)
    expect(doc).toMatchObject({
      ok: true,
      vendor: 'apple',
      state: 'delivered',
      details: {
        notification: {
          notificationType: 'TEST',
          data: { bundleId: vendors.apple.bundleId, environment: 'Production' },
        },
        attempts: [{ result: 'SUCCESS', succeeded: true }],
      },
    })
    expect(doc.summary).toMatch(/^Delivered: /)
    expectNoSecrets(result, vendors)
  })

  it('without --wait prints the token, and `apple status` follows it up', async () => {
    const sent = await cli(['apple', 'test', '--json', ...base], { env: env() })
    expect(sent.code).toBe(0)
    const { ticket } = json<{ ok: boolean; ticket: { id: string; vendor: string } }>(sent)
    expect(ticket.vendor).toBe('apple')

    // Delivery takes the simulator about 100 ms; status is 4040008 (pending) until then.
    await new Promise((done) => setTimeout(done, 500))
    const status = await cli(['apple', 'status', ticket.id, '--json', ...base], { env: env() })
    expect(status.code).toBe(0)
    expect(json(status)).toMatchObject({ state: 'delivered', ticket: { id: ticket.id } })

    const human = await cli(['apple', 'status', ticket.id, ...base], { env: env() })
    expect(human.code).toBe(0)
    expect(human.stdout).toContain('delivered')
    expect(human.stdout).toContain('SUCCESS')
    expect(human.stdout).not.toContain(ANSI) // not a terminal: no colour
  })

  it('prints people a summary with progress on stderr', async () => {
    const result = await cli(['apple', 'test', '--wait', ...base], { env: env() })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/state\s+delivered/)
    expect(result.stdout).toMatch(/notification\s+TEST /)
    expect(result.stderr).toContain('Waiting for Apple to deliver the test notification')
    expect(result.stderr).toContain('✔ Delivered, and the signed payload verified')
  })

  it('reads the key from standard input with APPLE_PRIVATE_KEY_FILE=-', async () => {
    const result = await cli(['apple', 'test', '--json', ...base], {
      env: { ...env(), APPLE_PRIVATE_KEY_FILE: '-' },
      input: vendors.apple.credentials.privateKeyPem,
    })
    expect(result.code).toBe(0)
    expectNoSecrets(result, vendors)
  })

  it('exits 2 naming the variable when the settings are incomplete', async () => {
    const { APPLE_KEY_ID: _omit, ...rest } = env()
    const result = await cli(['apple', 'test', ...base], { env: rest })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('APPLE_KEY_ID: is required')
    expect(result.stderr).toMatch(/kind\s+config \(exit 2\)/)
    const asJson = await cli(['apple', 'test', '--json', ...base], { env: rest })
    expect(asJson.code).toBe(2)
    expect(json(asJson)).toMatchObject({
      error: { name: 'NotificationTestError', vendor: 'apple', kind: 'config' },
    })
  })

  it('exits 2 for an http base URL off loopback, before any request', async () => {
    const result = await cli(['apple', 'test', '--json', '--base-url', 'http://example.com'], {
      env: env(),
    })
    expect(result.code).toBe(2)
    expect(JSON.stringify(json(result))).toContain('http is allowed only on loopback')
  })

  it('exits 3 when Apple refuses the credentials', async () => {
    // A key this simulator does not know (the other simulator's): Apple answers 401, plain text.
    const stranger = {
      ...env(),
      APPLE_KEY_ID: failing.env.APPLE_KEY_ID ?? '',
      APPLE_PRIVATE_KEY_FILE: failing.keyFile,
    }
    const [result, human] = await Promise.all([
      cli(['apple', 'test', '--json', ...base], { env: stranger }),
      cli(['apple', 'test', ...base], { env: stranger }),
    ])
    expect(result.code).toBe(3)
    expect(json(result)).toMatchObject({
      error: { kind: 'auth', httpStatus: 401, vendor: 'apple' },
    })
    expect(human.code).toBe(3)
    expect(human.stderr).toMatch(/kind\s+auth \(exit 3\)/)
    expect(human.stderr).toMatch(/http status\s+401/)
    expectNoSecrets(human, failing)
  })

  it('exits 1 when Apple could not deliver it (the app server answered 404)', async () => {
    const result = await cli(
      ['apple', 'test', '--wait', '--json', '--base-url', failing.apple.baseUrl],
      {
        env: failing.env,
      },
    )
    expect(result.code).toBe(1)
    const doc = json(result)
    expect(doc).toMatchObject({
      ok: false,
      state: 'failed',
      details: { attempts: [{ result: 'UNSUCCESSFUL_HTTP_RESPONSE_CODE', succeeded: false }] },
    })
    expect(doc.summary).toMatch(/^Not delivered/)
  })

  it('exits 4 with the vendor code when Apple fails (5xx)', async () => {
    // A read is retried on 5xx a few times; a fault that lasts makes it give up.
    const result = await cli(
      ['apple', 'history', '--since', '1h', '--json', '--base-url', faulty.apple.baseUrl],
      {
        env: faulty.env,
      },
    )
    expect(result.code).toBe(4)
    expect(ndjson(result).at(-1)).toMatchObject({
      error: { vendor: 'apple', kind: 'vendor_error', httpStatus: 500 },
    })
  })

  it('exits 4 when Apple keeps answering 429', async () => {
    const result = await cli(
      ['apple', 'test', '--timeout', '3s', '--base-url', faulty.apple.baseUrl],
      {
        env: faulty.env,
      },
    )
    expect(result.code).toBe(4)
    expect(result.stderr).toMatch(/kind\s+(rate_limited|timeout) \(exit 4\)/)
    expect(result.stderr).toMatch(/operation\s+apple\.requestTestNotification/)
  })

  it('Ctrl-C stops a wait at once: exit 130, nothing left running', async () => {
    const running = startCli(['apple', 'test', '--wait', '--base-url', slow.apple.baseUrl], {
      env: slow.env,
    })
    await new Promise((done) => setTimeout(done, 1500))
    const interruptedAt = performance.now()
    running.child.kill('SIGINT')
    const result = await running.done
    expect(result.code).toBe(130)
    expect(performance.now() - interruptedAt).toBeLessThan(3000)
    expect(result.stderr).toMatch(/kind\s+aborted \(exit 130\)/)
  })

  it('test --wait: a --timeout shorter than the status-check interval is refused up front', async () => {
    // Nothing listens on port 9: a request would end in exit 4, not 2.
    const result = await cli(
      [
        'apple',
        'test',
        '--wait',
        '--timeout',
        '500ms',
        '--json',
        '--base-url',
        'http://127.0.0.1:9',
      ],
      { env: env() },
    )
    expect(result.code).toBe(2)
    expect(json(result)).toMatchObject({
      error: {
        kind: 'invalid_input',
        message:
          '--timeout 500 ms is shorter than the 1.0 s between Apple status checks (Production): the wait could never see a delivery. Give --timeout 30.0 s or more.',
      },
    })
  })

  it('status: exits 2 for a token Apple would refuse', async () => {
    const result = await cli(['apple', 'status', 'not a token!', '--json', ...base], { env: env() })
    expect(result.code).toBe(2)
    expect(json(result)).toMatchObject({ error: { kind: 'invalid_input', vendor: 'apple' } })
  })

  it('history: streams NDJSON, one verified notification per line', async () => {
    await cli(['apple', 'test', '--wait', ...base], { env: env() })
    const result = await cli(['apple', 'history', '--since', '1h', '--json', ...base], {
      env: env(),
    })
    expect(result.code).toBe(0)
    const records = ndjson(result)
    expect(records.length).toBeGreaterThan(0)
    for (const record of records) {
      expect(record).toMatchObject({ notificationType: 'TEST', verified: true })
      expect(record.signedPayload).toMatch(/^eyJ/)
    }
    const people = await cli(
      ['apple', 'history', '--since', '1h', '--type', 'TEST', '--limit', '1', ...base],
      {
        env: env(),
      },
    )
    expect(people.code).toBe(0)
    expect(people.stdout).toContain('notification UUID')
    expect(people.stdout).toMatch(/1 notification from /)
  })

  it('history: --only-failures lists only what did not arrive', async () => {
    const result = await cli(
      ['apple', 'history', '--since', '1h', '--only-failures', '--json', ...base],
      {
        env: env(),
      },
    )
    expect(result.code).toBe(0)
    for (const record of ndjson(result)) {
      const attempts = record.sendAttempts as { sendAttemptResult: string }[]
      expect(attempts.every((a) => a.sendAttemptResult !== 'SUCCESS')).toBe(true)
    }
  })

  it('history: exits 2 naming --since when it is not a date or duration', async () => {
    const result = await cli(['apple', 'history', '--since', 'yesterday', ...base], { env: env() })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--since: expected a date')
    const missing = await cli(['apple', 'history', ...base], { env: env() })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("required option '--since <date|duration>' not specified")
  })

  it('history: exits 2 when Apple would refuse the filters', async () => {
    const result = await cli(
      [
        'apple',
        'history',
        '--since',
        '1h',
        '--type',
        'TEST',
        '--transaction-id',
        '123',
        '--json',
        ...base,
      ],
      { env: env() },
    )
    expect(result.code).toBe(2)
    expect(JSON.stringify(json(result))).toContain(
      'transactionId: cannot be combined with notificationType',
    )
  })

  it('perf-test: exits 2 when the app has no realtime URL (Apple 4040021)', async () => {
    const result = await cli(
      ['apple', 'perf-test', '--original-transaction-id', '2000000123456789', '--json', ...base],
      {
        env: env(),
      },
    )
    expect(result.code).toBe(2)
    expect(json(result)).toMatchObject({
      error: { vendor: 'apple', kind: 'not_found', httpStatus: 404, vendorCode: 4040021 },
    })
  })

  it('perf-test: exits 2 without --original-transaction-id or --request-id, or with a malformed one', async () => {
    const missing = await cli(['apple', 'perf-test', ...base], { env: env() })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain(
      'Give --original-transaction-id <id> to start a performance test, or --request-id <id> to follow one already started',
    )
    const bad = await cli(
      ['apple', 'perf-test', '--original-transaction-id', 'abc', '--json', ...base],
      {
        env: env(),
      },
    )
    expect(bad.code).toBe(2)
    expect(JSON.stringify(json(bad))).toContain('originalTransactionId')
  })

  it('verify: a notification body from a file and a bare JWS from stdin', async () => {
    const { details: sent } = json<{
      details: { notification: { notificationUUID: string }; raw: { signedPayload: string } }
    }>(await cli(['apple', 'test', '--wait', '--json', ...base], { env: env() }))
    const jws = sent.raw.signedPayload
    const file = join(vendors.dir, 'notification.json')
    await writeFile(file, JSON.stringify({ signedPayload: jws }))
    const fromFile = await cli(['apple', 'verify', file, '--json'], { env: env() })
    expect(fromFile.code).toBe(0)
    expect(json(fromFile)).toMatchObject({
      verified: true,
      notification: {
        notificationUUID: sent.notification.notificationUUID,
        notificationType: 'TEST',
      },
    })
    const fromStdin = await cli(['apple', 'verify', '-', '--root-cert', vendors.rootFile], {
      env: {
        APPLE_BUNDLE_ID: vendors.apple.bundleId,
        APPLE_ENVIRONMENT: 'Production',
        APPLE_APP_APPLE_ID: String(vendors.apple.appAppleId),
      },
      input: `${jws}\n`,
    })
    expect(fromStdin.code).toBe(0)
    expect(fromStdin.stdout).toContain('✔ Verified')
    expect(fromStdin.stdout).toContain(sent.notification.notificationUUID)
  })

  it("verify: exits 1 when the payload does not verify (tampered, wrong app, Apple's root)", async () => {
    const { details: sent } = json<{ details: { raw: { signedPayload: string } } }>(
      await cli(['apple', 'test', '--wait', '--json', ...base], { env: env() }),
    )
    const [header, payload, signature] = sent.raw.signedPayload.split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >
    const forged = Buffer.from(JSON.stringify({ ...claims, notificationType: 'REFUND' })).toString(
      'base64url',
    )
    const tampered = await cli(['apple', 'verify', '--json'], {
      env: env(),
      input: `${header}.${forged}.${signature}`,
    })
    expect(tampered.code).toBe(1)
    expect(json(tampered)).toMatchObject({ error: { kind: 'verification', vendor: 'apple' } })

    const wrongApp = await cli(['apple', 'verify', '--bundle-id', 'com.example.other'], {
      env: env(),
      input: sent.raw.signedPayload,
    })
    expect(wrongApp.code).toBe(1)
    expect(wrongApp.stderr).toMatch(/kind\s+verification \(exit 1\)/)

    // Without the simulator's root, only Apple's is trusted: the chain must be refused.
    const { APPLE_ROOT_CERTIFICATES_FILE: _root, ...withoutRoot } = env()
    const untrusted = await cli(['apple', 'verify', '--json'], {
      env: withoutRoot,
      input: sent.raw.signedPayload,
    })
    expect(untrusted.code).toBe(1)
  })

  it('verify: exits 2 for input that is no signed payload, or no bundle id', async () => {
    const notJson = await cli(['apple', 'verify', '--json'], { env: env(), input: '{"nope": 1}' })
    expect(notJson.code).toBe(2)
    expect(JSON.stringify(json(notJson))).toContain('without a \\"signedPayload\\" string')
    const noBundle = await cli(['apple', 'verify'], { env: {}, input: 'a.b.c' })
    expect(noBundle.code).toBe(2)
    expect(noBundle.stderr).toContain('--bundle-id')
    const missingFile = await cli(['apple', 'verify', 'missing.json', '--json'], { env: env() })
    expect(missingFile.code).toBe(2)
    expect(JSON.stringify(json(missingFile))).toContain('no such file')
  })
})
