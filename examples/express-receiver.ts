// An Express app that receives App Store Server Notifications: the Apple adapter's handler checks
// each signed payload (certificate chain to Apple's root, signature, your app and environment)
// before your code sees it, and answers Apple 200 only once your code is done.
//
// With APPLE_BUNDLE_ID (and APPLE_ENVIRONMENT, APPLE_APP_APPLE_ID in Production) set, it serves on
// PORT (8787) until interrupted: put it behind HTTPS and set its URL in App Store Connect. Without
// them it starts the Apple simulator, has it send a TEST notification here, and exits:
//   pnpm --filter @notiprobe/examples express-receiver
import type { AddressInfo } from 'node:net'
import {
  createAppleTester,
  createNotificationHandler,
  type AppleNotificationPayload,
  type NotificationHandlerOptions,
} from '@notiprobe/apple'
import { runTest } from '@notiprobe/core'
import { startAppleSimulator, type AppleSimulator } from '@notiprobe/simulator'
import express from 'express'

const standalone = Boolean(process.env.APPLE_BUNDLE_ID)
const simulator: AppleSimulator | undefined = standalone
  ? undefined
  : await startAppleSimulator({ environment: 'Production' })

let arrived: (notification: AppleNotificationPayload) => void = () => undefined
const firstArrival = new Promise<AppleNotificationPayload>((resolve) => (arrived = resolve))

const verification: Omit<NotificationHandlerOptions, 'onNotification'> = simulator
  ? {
      bundleId: simulator.bundleId,
      environment: simulator.environment,
      appAppleId: simulator.appAppleId,
      rootCertificates: [simulator.rootCertificatePem],
    }
  : {
      bundleId: process.env.APPLE_BUNDLE_ID ?? '',
      environment: process.env.APPLE_ENVIRONMENT === 'Production' ? 'Production' : 'Sandbox',
      appAppleId: process.env.APPLE_APP_APPLE_ID
        ? Number(process.env.APPLE_APP_APPLE_ID)
        : undefined,
    }

const app = express()
app.post(
  '/apple/notifications',
  createNotificationHandler({
    ...verification,
    onNotification: (notification) => {
      // Your business logic; throw to answer 500 so that Apple tries again later.
      console.log(`${notification.notificationType} ${notification.notificationUUID} verified`)
      arrived(notification)
    },
    onError: (error) => console.warn(`refused: ${error.message}`),
  }),
)

const server = app.listen(simulator ? 0 : Number(process.env.PORT ?? 8787), '127.0.0.1')
await new Promise<void>((listening) => server.once('listening', listening))
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/apple/notifications`
console.log(`Receiving App Store Server Notifications at ${url}`)

if (simulator) {
  simulator.setNotificationUrl(url)
  const tester = createAppleTester({
    issuerId: simulator.credentials.issuerId,
    keyId: simulator.credentials.keyId,
    privateKey: simulator.credentials.privateKeyPem,
    bundleId: simulator.bundleId,
    environment: simulator.environment,
    appAppleId: simulator.appAppleId,
    baseUrl: simulator.baseUrl,
    rootCertificates: [simulator.rootCertificatePem],
  })
  try {
    const outcome = await runTest(tester, { timeoutMs: 30_000 })
    const notification = await firstArrival
    console.log(
      `Apple says: ${outcome.state}; this server received ${notification.notificationUUID}`,
    )
  } finally {
    tester.close()
    await new Promise((closed) => server.close(closed))
    await simulator.close()
  }
}
