// Ask SailPoint Identity Security Cloud to send a test notification from a template. SailPoint
// answers 204 and keeps no delivery status: `accepted` is all it can say.
//
// With SAIL_TENANT (or SAIL_BASE_URL), SAIL_CLIENT_ID and SAIL_CLIENT_SECRET set it talks to your
// tenant; without them it starts the local SailPoint simulator and shows what it "sent":
//   pnpm --filter @notiprobe/examples sailpoint-test
import { isNotificationTestError } from '@notiprobe/core'
import {
  createSailPointTester,
  sailPointOptionsFromEnv,
  type SailPointTester,
} from '@notiprobe/sailpoint'
import { startSailPointSimulator, type SailPointSimulator } from '@notiprobe/simulator'

let simulator: SailPointSimulator | undefined
let tester: SailPointTester
if (process.env.SAIL_CLIENT_ID) {
  tester = createSailPointTester(sailPointOptionsFromEnv(process.env, { apiVersion: 'v1' }))
} else {
  simulator = await startSailPointSimulator()
  tester = createSailPointTester({
    baseUrl: simulator.baseUrl,
    clientId: simulator.credentials.clientId,
    clientSecret: simulator.credentials.clientSecret,
    apiVersion: 'v1',
  })
}

try {
  const ticket = await tester.send({
    key: 'cloud_manual_work_item_summary',
    medium: 'EMAIL',
    context: { numberOfPendingTasks: '4', taskTasks: 'tasks' },
    recipients: ['platform-team@example.com'],
    // Check first that the tenant has this template for this medium: a typo fails before sending.
    preflight: true,
  })
  const outcome = await tester.check(ticket)
  console.log(outcome.summary)
  const sent = simulator?.outbox.at(-1)
  if (sent)
    console.log(`The simulator's outbox: "${sent.subject}" to ${sent.recipients.to.join(', ')}`)
} catch (error) {
  if (!isNotificationTestError(error)) throw error
  // SailPoint's trackingId, for its support, is in `requestId`.
  console.error(
    `${error.kind}: ${error.message}${error.requestId ? ` (tracking id ${error.requestId})` : ''}`,
  )
  process.exitCode = 1
} finally {
  tester.close()
  await simulator?.close()
}
