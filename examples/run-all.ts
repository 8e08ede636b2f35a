// Test several vendors at once and get one report: what a scheduled job or a CI step runs.
// One vendor's failure never stops another's; each result has its outcome or its error.
//
// Runs against the local simulators:  pnpm --filter @notiprobe/examples run-all
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAppleTester } from '@notiprobe/apple'
import { runAll } from '@notiprobe/core'
import { createSailPointTester } from '@notiprobe/sailpoint'
import { startAppleSimulator, startSailPointSimulator } from '@notiprobe/simulator'

// The app's notification endpoint: acknowledges everything (see express-receiver.ts for one
// that verifies).
const server = createServer((req, res) => req.resume().on('end', () => res.end()))
await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
const { port } = server.address() as AddressInfo

const [appleSim, sailSim] = await Promise.all([
  startAppleSimulator({ environment: 'Production', notificationUrl: `http://127.0.0.1:${port}/` }),
  startSailPointSimulator(),
])

const apple = createAppleTester({
  issuerId: appleSim.credentials.issuerId,
  keyId: appleSim.credentials.keyId,
  privateKey: appleSim.credentials.privateKeyPem,
  bundleId: appleSim.bundleId,
  environment: 'Production',
  appAppleId: appleSim.appAppleId,
  baseUrl: appleSim.baseUrl,
  rootCertificates: [appleSim.rootCertificatePem],
})
const sailpoint = createSailPointTester({
  baseUrl: sailSim.baseUrl,
  clientId: sailSim.credentials.clientId,
  clientSecret: sailSim.credentials.clientSecret,
})

try {
  const report = await runAll(
    [
      { tester: apple },
      {
        name: 'sailpoint digest (email)',
        tester: sailpoint,
        send: {
          key: 'cloud_manual_work_item_summary',
          medium: 'EMAIL',
          context: { numberOfPendingTasks: '2' },
        },
      },
    ],
    {
      timeoutMs: 60_000,
      onProgress: (event) => {
        if (event.type === 'finished')
          console.log(`${event.name}: ${event.result.ok ? 'ok' : 'not ok'}`)
      },
    },
  )
  for (const result of report.results) {
    console.log(`- ${result.name}: ${result.outcome?.summary ?? result.error?.message ?? ''}`)
  }
  console.log(report.ok ? 'Every vendor passed.' : 'Some vendors did not pass.')
  if (!report.ok) process.exitCode = 1
} finally {
  apple.close()
  sailpoint.close()
  await Promise.all([appleSim.close(), sailSim.close()])
  await new Promise((closed) => server.close(closed))
}
