import {
  createNotificationHandler,
  verifySignedPayload,
  type AppleNotificationPayload,
} from '@notiprobe/apple'
import type { NotificationTestError } from '@notiprobe/core'
import {
  startAppleSimulator,
  type AppleSimulator,
  type NotificationSpec,
} from '@notiprobe/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startReceiver } from './apple-helpers.js'

// vendor-facts.md, "Notifications Apple sends to your server": a V2 payload names its app in one
// of four objects (data, summary, externalPurchaseToken, appData), nested JWS are signed by the
// same chain, and the verifier must accept all four with Apple's checks for each.

const SHAPES: readonly (readonly [string, NotificationSpec, string])[] = [
  [
    'data (SUBSCRIBED, with transaction and renewal info)',
    { notificationType: 'SUBSCRIBED', subtype: 'INITIAL_BUY' },
    'data',
  ],
  [
    'summary (RENEWAL_EXTENSION/SUMMARY)',
    { notificationType: 'RENEWAL_EXTENSION', subtype: 'SUMMARY' },
    'summary',
  ],
  [
    'externalPurchaseToken (EXTERNAL_PURCHASE_TOKEN)',
    { notificationType: 'EXTERNAL_PURCHASE_TOKEN' },
    'externalPurchaseToken',
  ],
  [
    'appData (RESCIND_CONSENT, with an app transaction)',
    { notificationType: 'RESCIND_CONSENT' },
    'appData',
  ],
]

function decodePayload(jws: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >
}

describe.each(['Sandbox', 'Production'] as const)('every V2 payload shape in %s', (environment) => {
  let sim: AppleSimulator
  let options: Parameters<typeof verifySignedPayload>[1]

  beforeAll(async () => {
    sim = await startAppleSimulator({ environment, rateLimits: 'off' })
    options = {
      bundleId: sim.bundleId,
      environment,
      appAppleId: sim.appAppleId,
      rootCertificates: [sim.rootCertificatePem],
    }
  })
  afterAll(() => sim.close())

  it.each(SHAPES)('verifies %s', async (_name, spec, source) => {
    const jws = await sim.signNotification(spec)
    const notification = await verifySignedPayload(jws, options)
    expect(notification).toMatchObject({ notificationType: spec.notificationType })
    expect(notification[source]).toMatchObject({ bundleId: sim.bundleId })
  })

  it('decodes the nested transaction and renewal info beside the raw strings, typed', async () => {
    const n = await verifySignedPayload(
      await sim.signNotification({ notificationType: 'DID_RENEW' }),
      options,
    )
    const data = n.data!
    expect(typeof data.signedTransactionInfo).toBe('string')
    expect(typeof data.signedRenewalInfo).toBe('string')
    expect(data.transactionInfo).toEqual(decodePayload(data.signedTransactionInfo!))
    expect(data.renewalInfo).toEqual(decodePayload(data.signedRenewalInfo!))
    expect(data.transactionInfo?.environment).toBe(environment)
    expect(typeof data.transactionInfo?.purchaseDate).toBe('number')
  })

  it('decodes the nested app transaction of RESCIND_CONSENT', async () => {
    const n = await verifySignedPayload(
      await sim.signNotification({ notificationType: 'RESCIND_CONSENT' }),
      options,
    )
    expect(n.appData?.appTransactionInfo).toEqual(
      decodePayload(n.appData!.signedAppTransactionInfo!),
    )
    expect(n.appData?.appTransactionInfo?.receiptType).toBe(environment)
  })

  it('takes the environment of an external purchase token from its SANDBOX prefix', async () => {
    const jws = await sim.signNotification({ notificationType: 'EXTERNAL_PURCHASE_TOKEN' })
    const id = (decodePayload(jws).externalPurchaseToken as { externalPurchaseId: string })
      .externalPurchaseId
    expect(id.startsWith('SANDBOX')).toBe(environment === 'Sandbox')
    const other = environment === 'Sandbox' ? 'Production' : 'Sandbox'
    await expect(
      verifySignedPayload(jws, { ...options, environment: other }),
    ).rejects.toMatchObject({
      kind: 'verification',
      message: `Signed payload rejected: the payload is for environment "${environment}" (from its externalPurchaseId), not "${other}".`,
    })
  })
})

describe('the receiver, for every payload shape', () => {
  let sim: AppleSimulator

  beforeAll(async () => {
    sim = await startAppleSimulator({ rateLimits: 'off' })
  })
  afterAll(() => sim.close())

  it('answers 200 and hands each decoded notification over once; a copy gets 200 and a forgery 400, and neither reaches anyone', async () => {
    const received: AppleNotificationPayload[] = []
    const refused: NotificationTestError[] = []
    const handler = createNotificationHandler({
      bundleId: sim.bundleId,
      environment: 'Sandbox',
      rootCertificates: [sim.rootCertificatePem],
      onNotification: (n) => {
        received.push(n)
      },
      onError: (error) => refused.push(error),
    })
    const statuses: number[] = []
    const receiver = await startReceiver((req, res) => {
      res.on('finish', () => statuses.push(res.statusCode))
      return handler(req, res)
    })
    try {
      sim.setNotificationUrl(receiver.url)
      const sent = []
      for (const [, spec] of SHAPES) sent.push(await sim.sendNotification(spec))
      expect(sent.map((s) => s.sendAttemptResult)).toEqual([
        'SUCCESS',
        'SUCCESS',
        'SUCCESS',
        'SUCCESS',
      ])
      expect(received.map((n) => n.notificationType)).toEqual(
        SHAPES.map(([, spec]) => spec.notificationType),
      )
      expect(received[0]?.data?.transactionInfo?.bundleId).toBe(sim.bundleId)
      expect(received[3]?.appData?.appTransactionInfo?.bundleId).toBe(sim.bundleId)

      // The same signed payload again, as Apple resends one it saw no 2xx for: acknowledged,
      // not handed over twice.
      const copy = await fetch(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ signedPayload: sent[0]?.signedPayload }),
      })
      expect(copy.status).toBe(200)
      // A forgery: the payload edited, the signature kept.
      const [header, payload, signature] = (sent[1]?.signedPayload ?? '').split('.')
      const edited = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
        string,
        unknown
      >
      edited.notificationUUID = 'a-new-one'
      const forged = await fetch(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          signedPayload: [
            header,
            Buffer.from(JSON.stringify(edited)).toString('base64url'),
            signature,
          ].join('.'),
        }),
      })
      expect(forged.status).toBe(400)
      expect(received).toHaveLength(4)
      expect(refused.map((e) => e.message)).toEqual([
        "Signed payload rejected: the signature does not verify with the leaf certificate's key.",
      ])
    } finally {
      await receiver.close()
    }
  })
})
