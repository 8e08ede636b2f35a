import { createAppleTester } from '@notiprobe/apple'
import type { AppleTarget } from '../target.js'
import type { AppleBenchClient, HistoryWindow } from './types.js'

/** notiprobe's Apple adapter, rate limits off (the simulator's are off too). */
export function createAppleClient(target: AppleTarget): AppleBenchClient {
  const tester = createAppleTester({
    issuerId: target.issuerId,
    keyId: target.keyId,
    privateKey: target.privateKeyPem,
    bundleId: target.bundleId,
    environment: 'Sandbox',
    baseUrl: target.baseUrl,
    rootCertificates: [target.rootCertificatePem],
    rateLimits: 'off',
  })
  return {
    async requestTest() {
      return (await tester.send()).id
    },
    status(token) {
      return tester.getTestNotificationStatus(token)
    },
    async statusVerified(token) {
      const outcome = await tester.check({
        vendor: 'apple',
        id: token,
        requestedAt: Date.now(),
        details: { environment: 'Sandbox', bundleId: target.bundleId },
      })
      if (outcome.state !== 'delivered') throw new Error(`not delivered: ${outcome.summary}`)
      return outcome
    },
    async history(window: HistoryWindow, onRecord) {
      for await (const record of tester.notificationHistory(window)) onRecord(record)
    },
    close() {
      tester.close()
    },
  }
}
