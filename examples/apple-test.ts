// Ask Apple for a TEST notification and wait until Apple confirms it reached your server, with
// its signed payload verified.
//
// With your App Store Connect settings in the environment (APPLE_ISSUER_ID, APPLE_KEY_ID,
// APPLE_PRIVATE_KEY_FILE, APPLE_BUNDLE_ID, APPLE_ENVIRONMENT, APPLE_APP_APPLE_ID) it talks to
// Apple; without them it starts the local Apple simulator and an endpoint that acknowledges
// notifications, so it runs anywhere:  pnpm --filter @notiprobe/examples apple-test
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { appleOptionsFromEnv, createAppleTester, type AppleTesterOptions } from '@notiprobe/apple'
import { isNotificationTestError, runTest } from '@notiprobe/core'
import { startAppleSimulator } from '@notiprobe/simulator'

const cleanup: (() => Promise<void>)[] = []
let options: AppleTesterOptions
if (process.env.APPLE_KEY_ID) {
  options = appleOptionsFromEnv()
} else {
  // Your server's side: acknowledge every notification (any status from 200 to 206 will do).
  const server = createServer((req, res) => req.resume().on('end', () => res.end()))
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  cleanup.push(() => new Promise((closed) => server.close(() => closed())))
  const { port } = server.address() as AddressInfo

  const apple = await startAppleSimulator({
    environment: 'Production',
    notificationUrl: `http://127.0.0.1:${port}/`,
  })
  cleanup.push(() => apple.close())
  options = {
    issuerId: apple.credentials.issuerId,
    keyId: apple.credentials.keyId,
    privateKey: apple.credentials.privateKeyPem,
    bundleId: apple.bundleId,
    environment: apple.environment,
    appAppleId: apple.appAppleId,
    baseUrl: apple.baseUrl,
    // The simulator signs with its own chain; trust its root instead of Apple's.
    rootCertificates: [apple.rootCertificatePem],
  }
}

const tester = createAppleTester(options)
try {
  const outcome = await runTest(tester, {
    timeoutMs: 120_000,
    onSent: (ticket) => console.log(`Apple accepted the request: token ${ticket.id}`),
    onProgress: (p) => console.log(`  ${p.outcome.state} after ${p.checks} check(s)`),
  })
  console.log(outcome.summary)
  if (outcome.state !== 'delivered') process.exitCode = 1
} catch (error) {
  // Every failure is a NotificationTestError: switch on `kind`, quote `requestId` to Apple.
  if (!isNotificationTestError(error)) throw error
  console.error(`${error.kind}: ${error.message}`)
  process.exitCode = error.kind === 'auth' || error.kind === 'forbidden' ? 3 : 1
} finally {
  tester.close()
  for (const close of cleanup.reverse()) await close()
}
