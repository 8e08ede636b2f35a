import {
  APIException,
  Environment,
  NotificationTypeV2,
  SignedDataVerifier,
  type CheckTestNotificationResponse,
} from '@apple/app-store-server-library'
import { createAppleTester, verifySignedPayload } from '@notiprobe/apple'
import { startAppleSimulator, type AppleSimulator } from '@notiprobe/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startReceiver, type Receiver } from '../contract/apple-helpers.js'
import { derOf, OfficialClientOnSimulator } from './official-apple-library.js'

// Apple's official Node library (@apple/app-store-server-library), a client no one here wrote,
// talks to the simulator: if the simulator's reading of Apple's API were wrong, Apple's own code
// would refuse it. Its SignedDataVerifier checks what the simulator signed.

let sim: AppleSimulator
let receiver: Receiver
let client: OfficialClientOnSimulator
let verifier: SignedDataVerifier

beforeAll(async () => {
  sim = await startAppleSimulator({ rateLimits: 'off', deliveryDelayMs: 10 })
  receiver = await startReceiver((req, res) => {
    req.resume()
    res.writeHead(200).end()
  })
  sim.setNotificationUrl(receiver.url)
  client = new OfficialClientOnSimulator(sim)
  verifier = new SignedDataVerifier(
    [derOf(sim.rootCertificatePem)],
    false,
    Environment.SANDBOX,
    sim.bundleId,
  )
})
afterAll(async () => {
  await receiver.close()
  await sim.close()
})

/** The official client's status call, until the simulator has recorded the attempt (4040008 before). */
async function statusOnceDelivered(token: string): Promise<CheckTestNotificationResponse> {
  for (let tries = 0; tries < 200; tries++) {
    try {
      return await client.getTestNotificationStatus(token)
    } catch (error) {
      if (!(error instanceof APIException) || error.apiError !== 4040008) throw error
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
  throw new Error('the test notification was never delivered')
}

describe("Apple's official client on the simulator", () => {
  it('requests a test notification, reads its status, and its signed payload verifies with both verifiers', async () => {
    const { testNotificationToken } = await client.requestTestNotification()
    expect(testNotificationToken).toMatch(/^[0-9a-f-]{36}_\d+$/)
    const status = await statusOnceDelivered(testNotificationToken!)
    expect(status.sendAttempts?.map((a) => a.sendAttemptResult)).toEqual(['SUCCESS'])
    expect(typeof status.sendAttempts?.[0]?.attemptDate).toBe('number')
    const official = await verifier.verifyAndDecodeNotification(status.signedPayload!)
    const ours = await verifySignedPayload(status.signedPayload!, {
      bundleId: sim.bundleId,
      environment: 'Sandbox',
      rootCertificates: [sim.rootCertificatePem],
    })
    expect(official).toEqual(ours)
    expect(official).toMatchObject({ notificationType: 'TEST', data: { bundleId: sim.bundleId } })
  })

  it('reads the status of a test notiprobe requested, and notiprobe reads one the official client requested', async () => {
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
      const ticket = await tester.send()
      const status = await statusOnceDelivered(ticket.id)
      expect(status.sendAttempts?.[0]?.sendAttemptResult).toBe('SUCCESS')
      const { testNotificationToken } = await client.requestTestNotification()
      await statusOnceDelivered(testNotificationToken!)
      // A ticket from a token notiprobe did not send: its request time is unknown (0).
      const outcome = await tester.check({
        vendor: 'apple',
        id: testNotificationToken!,
        requestedAt: 0,
      })
      expect(outcome.state).toBe('delivered')
    } finally {
      tester.close()
    }
  })

  it('pages through the notification history, 20 records a page, every payload verified by Apple’s verifier', async () => {
    const seeded = sim.seedHistory({
      count: 45,
      notificationType: 'DID_RENEW',
      uniquePayloads: true,
    })
    const request = {
      startDate: seeded.startDate,
      endDate: seeded.endDate + 1,
      notificationType: NotificationTypeV2.DID_RENEW,
    }
    const pages: number[] = []
    let token: string | null = null
    for (;;) {
      const page = await client.getNotificationHistory(token, request)
      pages.push(page.notificationHistory?.length ?? 0)
      for (const item of page.notificationHistory ?? []) {
        await expect(
          verifier.verifyAndDecodeNotification(item.signedPayload!),
        ).resolves.toMatchObject({
          notificationType: 'DID_RENEW',
        })
      }
      if (page.hasMore !== true) break
      token = page.paginationToken ?? null
    }
    expect(pages).toEqual([20, 20, 5])
  })

  it('gets Apple’s error codes as Apple’s client reads them', async () => {
    sim.setNotificationUrl(undefined)
    try {
      const error = await client.requestTestNotification().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(APIException)
      expect(error).toMatchObject({ httpStatusCode: 404, apiError: 4040007 })
    } finally {
      sim.setNotificationUrl(receiver.url)
    }
    const unknownToken = '0a1b2c3d-0000-4000-8000-000000000000_1700000000000'
    await expect(client.getTestNotificationStatus(unknownToken)).rejects.toMatchObject({
      httpStatusCode: 404,
      apiError: 4040008,
    })
  })
})
