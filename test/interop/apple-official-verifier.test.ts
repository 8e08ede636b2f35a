import { readFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import {
  Environment,
  SignedDataVerifier,
  VerificationException,
  VerificationStatus,
} from '@apple/app-store-server-library'
import {
  APPLE_ROOT_CA_G3_PEM,
  createAppleTester,
  verifySignedPayload,
  type AppleNotificationPayload,
} from '@notiprobe/apple'
import {
  startAppleSimulator,
  type AppleSimulator,
  type NotificationSpec,
} from '@notiprobe/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  makeCertificate,
  makeChain,
  signPayload,
  testNotification,
} from '../../packages/apple/test/helpers/certificates.js'
import { startReceiver } from '../contract/apple-helpers.js'
import { derOf } from './official-apple-library.js'

// Apple's official SignedDataVerifier and notiprobe's verifier, given the same payloads, must
// agree: every notification shape the simulator signs (nested JWS included), Apple's real signed
// payload, forgeries, a re-issued root, and online (OCSP) checks against the simulator's responder.

const SHAPES: readonly NotificationSpec[] = [
  { notificationType: 'TEST' },
  { notificationType: 'SUBSCRIBED', subtype: 'INITIAL_BUY' },
  { notificationType: 'DID_RENEW' },
  { notificationType: 'ONE_TIME_CHARGE' },
  { notificationType: 'RENEWAL_EXTENSION', subtype: 'SUMMARY' },
  { notificationType: 'EXTERNAL_PURCHASE_TOKEN' },
  { notificationType: 'RESCIND_CONSENT' },
  { notificationType: 'METADATA_UPDATE' },
  { notificationType: 'MIGRATION' },
  { notificationType: 'PRICE_CHANGE' },
]

/** notiprobe's result less the decoded values it adds beside the nested JWS. */
function asApple(n: AppleNotificationPayload): unknown {
  const { data, appData, ...rest } = n
  const strip = (o: object | undefined, keys: string[]) =>
    o === undefined
      ? undefined
      : Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)))
  return {
    ...rest,
    ...(data === undefined ? {} : { data: strip(data, ['transactionInfo', 'renewalInfo']) }),
    ...(appData === undefined ? {} : { appData: strip(appData, ['appTransactionInfo']) }),
  }
}

async function officialRejects(run: Promise<unknown>): Promise<VerificationStatus> {
  const error = await run.then(
    () => {
      throw new Error("Apple's verifier accepted it")
    },
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(VerificationException)
  return (error as VerificationException).status
}

describe.each(['Sandbox', 'Production'] as const)(
  'what the simulator signs in %s',
  (environment) => {
    let sim: AppleSimulator
    let official: SignedDataVerifier
    let options: Parameters<typeof verifySignedPayload>[1]

    beforeAll(async () => {
      sim = await startAppleSimulator({ environment, rateLimits: 'off' })
      official = new SignedDataVerifier(
        [derOf(sim.rootCertificatePem)],
        false,
        environment === 'Sandbox' ? Environment.SANDBOX : Environment.PRODUCTION,
        sim.bundleId,
        sim.appAppleId,
      )
      options = {
        bundleId: sim.bundleId,
        environment,
        appAppleId: sim.appAppleId,
        rootCertificates: [sim.rootCertificatePem],
      }
    })
    afterAll(() => sim.close())

    it.each(SHAPES)(
      '$notificationType $subtype: both verify it, and decode it alike',
      async (spec) => {
        const jws = await sim.signNotification(spec)
        const theirs = await official.verifyAndDecodeNotification(jws)
        const ours = await verifySignedPayload(jws, options)
        expect(asApple(ours)).toEqual(theirs)
      },
    )

    it('nested transaction and renewal info: Apple’s three calls give what notiprobe gives in one', async () => {
      const ours = await verifySignedPayload(
        await sim.signNotification({ notificationType: 'DID_RENEW' }),
        options,
      )
      const data = ours.data!
      expect(await official.verifyAndDecodeTransaction(data.signedTransactionInfo!)).toEqual(
        data.transactionInfo,
      )
      expect(await official.verifyAndDecodeRenewalInfo(data.signedRenewalInfo!)).toEqual(
        data.renewalInfo,
      )
    })

    it('nested app transaction of RESCIND_CONSENT', async () => {
      const ours = await verifySignedPayload(
        await sim.signNotification({ notificationType: 'RESCIND_CONSENT' }),
        options,
      )
      const appData = ours.appData!
      expect(
        await official.verifyAndDecodeAppTransaction(appData.signedAppTransactionInfo!),
      ).toEqual(appData.appTransactionInfo)
    })

    it('both refuse an edited payload, another app and the other environment', async () => {
      const jws = await sim.signNotification({
        notificationType: 'SUBSCRIBED',
        subtype: 'INITIAL_BUY',
      })
      const [h, p, s] = jws.split('.') as [string, string, string]
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as {
        data: { bundleId: string }
      }
      payload.data.bundleId = 'com.attacker.app'
      const edited = [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.')
      expect(await officialRejects(official.verifyAndDecodeNotification(edited))).toBe(
        VerificationStatus.VERIFICATION_FAILURE,
      )
      await expect(verifySignedPayload(edited, options)).rejects.toMatchObject({
        kind: 'verification',
      })

      const elsewhere = new SignedDataVerifier(
        [derOf(sim.rootCertificatePem)],
        false,
        environment === 'Sandbox' ? Environment.SANDBOX : Environment.PRODUCTION,
        'com.other.app',
        sim.appAppleId,
      )
      expect(await officialRejects(elsewhere.verifyAndDecodeNotification(jws))).toBe(
        VerificationStatus.INVALID_APP_IDENTIFIER,
      )
      await expect(
        verifySignedPayload(jws, { ...options, bundleId: 'com.other.app' }),
      ).rejects.toMatchObject({
        kind: 'verification',
      })

      const other = environment === 'Sandbox' ? 'Production' : 'Sandbox'
      const otherEnvironment = new SignedDataVerifier(
        [derOf(sim.rootCertificatePem)],
        false,
        other === 'Sandbox' ? Environment.SANDBOX : Environment.PRODUCTION,
        sim.bundleId,
        sim.appAppleId,
      )
      // Apple checks the app first: a Production verifier refuses a Sandbox payload without
      // appAppleId as another app, and a Sandbox one refuses a Production payload for its environment.
      expect([
        VerificationStatus.INVALID_APP_IDENTIFIER,
        VerificationStatus.INVALID_ENVIRONMENT,
      ]).toContain(await officialRejects(otherEnvironment.verifyAndDecodeNotification(jws)))
      await expect(
        verifySignedPayload(jws, { ...options, environment: other }),
      ).rejects.toMatchObject({
        kind: 'verification',
      })
    })
  },
)

describe('payloads no simulator made', () => {
  it('Apple’s real TEST notification: both verify it at its signedDate with Apple Root CA - G3', async () => {
    const jws = readFileSync(
      new URL(
        '../../packages/apple/test/fixtures/apple-sandbox-test-notification.jws',
        import.meta.url,
      ),
      'utf8',
    ).trim()
    const bundleId = 'com.loki-project.loki-messenger'
    const official = new SignedDataVerifier(
      [derOf(APPLE_ROOT_CA_G3_PEM)],
      false,
      Environment.SANDBOX,
      bundleId,
    )
    const theirs = await official.verifyAndDecodeNotification(jws)
    const ours = await verifySignedPayload(jws, { bundleId, environment: 'Sandbox' })
    expect(ours).toEqual(theirs)
  })

  it('a root re-issued with the same key and name: both verify; a root not trusted: both refuse', async () => {
    const chain = makeChain()
    const reissued = makeCertificate({
      name: chain.root.name,
      ca: true,
      privateKey: chain.root.privateKey,
      notBefore: new Date('2021-06-01T00:00:00Z'),
    })
    const jws = await signPayload(testNotification(), chain.leaf.privateKey, [
      chain.leaf,
      chain.intermediate,
      chain.root,
    ])
    const bundleId = 'com.example.app'
    const trusting = (root: Buffer) =>
      new SignedDataVerifier([root], false, Environment.SANDBOX, bundleId)
    await expect(trusting(reissued.der).verifyAndDecodeNotification(jws)).resolves.toMatchObject({
      notificationType: 'TEST',
    })
    await expect(
      verifySignedPayload(jws, {
        bundleId,
        environment: 'Sandbox',
        rootCertificates: [reissued.pem],
      }),
    ).resolves.toMatchObject({ notificationType: 'TEST' })

    const stranger = makeChain({ root: { name: chain.root.name } })
    const untrusted = await signPayload(testNotification(), stranger.leaf.privateKey, [
      stranger.leaf,
      stranger.intermediate,
      stranger.root,
    ])
    expect(
      await officialRejects(trusting(chain.root.der).verifyAndDecodeNotification(untrusted)),
    ).toBe(VerificationStatus.VERIFICATION_FAILURE)
    await expect(
      verifySignedPayload(untrusted, {
        bundleId,
        environment: 'Sandbox',
        rootCertificates: [chain.root.pem],
      }),
    ).rejects.toMatchObject({ kind: 'verification' })
  })
})

describe('online checks: Apple’s verifier reads the simulator’s OCSP answers as notiprobe does', () => {
  let sim: AppleSimulator
  let jws: string
  beforeAll(async () => {
    sim = await startAppleSimulator({ rateLimits: 'off' })
    jws = await sim.signNotification({ notificationType: 'SUBSCRIBED', subtype: 'INITIAL_BUY' })
  })
  afterAll(() => sim.close())

  const online = () =>
    new SignedDataVerifier([derOf(sim.rootCertificatePem)], true, Environment.SANDBOX, sim.bundleId)
  const ours = () =>
    verifySignedPayload(jws, {
      bundleId: sim.bundleId,
      environment: 'Sandbox',
      rootCertificates: [sim.rootCertificatePem],
      onlineChecks: true,
    })

  it('good: both pass', async () => {
    sim.ocsp.set('good')
    await expect(online().verifyAndDecodeNotification(jws)).resolves.toMatchObject({
      notificationType: 'SUBSCRIBED',
    })
    await expect(ours()).resolves.toMatchObject({ notificationType: 'SUBSCRIBED' })
  })

  it.each(['leaf', 'intermediate'] as const)('the %s revoked: both refuse', async (which) => {
    sim.ocsp.set('revoked', which)
    try {
      expect(await officialRejects(online().verifyAndDecodeNotification(jws))).toBe(
        VerificationStatus.FAILURE,
      )
      await expect(ours()).rejects.toMatchObject({ kind: 'verification', retryable: false })
    } finally {
      sim.ocsp.set('good')
    }
  })

  it('responder down: both fail in a way that says try again', async () => {
    sim.ocsp.set('error')
    try {
      expect(await officialRejects(online().verifyAndDecodeNotification(jws))).toBe(
        VerificationStatus.RETRYABLE_VERIFICATION_FAILURE,
      )
      await expect(ours()).rejects.toMatchObject({ kind: 'verification', retryable: true })
    } finally {
      sim.ocsp.set('good')
    }
  })
})

describe('the performance test’s realtime requests', () => {
  it('verify with Apple’s verifyAndDecodeRealtimeRequest', async () => {
    const sim = await startAppleSimulator({
      rateLimits: 'off',
      performanceTest: {
        totalRequests: 3,
        maxConcurrentRequests: 1,
        totalDuration: 10_000,
        responseTimeThreshold: 3000,
      },
    })
    const payloads: string[] = []
    const endpoint = await startReceiver((req: IncomingMessage, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        payloads.push(
          (JSON.parse(Buffer.concat(chunks).toString()) as { signedPayload: string }).signedPayload,
        )
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"message":{"messageIdentifier":"m1"}}')
      })
    })
    const tester = createAppleTester({
      issuerId: sim.credentials.issuerId,
      keyId: sim.credentials.keyId,
      privateKey: sim.credentials.privateKeyPem,
      bundleId: sim.bundleId,
      environment: 'Sandbox',
      baseUrl: sim.baseUrl,
      rootCertificates: [sim.rootCertificatePem],
      rateLimits: 'off',
    })
    try {
      sim.setRealtimeUrl(endpoint.url)
      const { requestId } = await tester.initiatePerformanceTest({
        originalTransactionId: '2000000123456789',
      })
      expect(await tester.waitForPerformanceTest(requestId, { timeoutMs: 30_000 })).toMatchObject({
        result: 'PASS',
      })
      const official = new SignedDataVerifier(
        [derOf(sim.rootCertificatePem)],
        false,
        Environment.SANDBOX,
        sim.bundleId,
      )
      expect(payloads).toHaveLength(3)
      for (const payload of payloads) {
        await expect(official.verifyAndDecodeRealtimeRequest(payload)).resolves.toMatchObject({
          originalTransactionId: '2000000123456789',
          environment: 'Sandbox',
        })
      }
    } finally {
      tester.close()
      await endpoint.close()
      await sim.close()
    }
  })
})
