/**
 * SailPoint sends, one after another with a pause, for many token lifetimes. Counts what failed;
 * the orchestrator counts the tokens the simulator issued.
 */
import { loadSailPointClient } from '../clients/load.js'
import { createSailPointClient } from '../clients/sailpoint-notiprobe.js'
import { emitResult, type LongRunResult, type LongRunTask } from '../protocol.js'
import { sailPointTarget } from '../target.js'

const task = JSON.parse(process.argv[2] ?? '{}') as LongRunTask
const target = sailPointTarget()
// notiprobe keeps its client-side rate limit here: this is the long-running service case.
const client =
  task.client === 'notiprobe'
    ? createSailPointClient(target, { rateLimited: true })
    : (await loadSailPointClient(task.client))(target)

let sends = 0
let failures = 0
let firstFailure: string | undefined
const until = performance.now() + task.durationMs
while (performance.now() < until) {
  sends++
  try {
    await client.send()
  } catch (error) {
    failures++
    firstFailure ??= error instanceof Error ? error.message : String(error)
  }
  await new Promise((resolve) => setTimeout(resolve, task.pauseMs))
}
client.close()
const result: LongRunResult = {
  client: task.client,
  sends,
  failures,
  ...(firstFailure === undefined ? {} : { firstFailure: firstFailure.slice(0, 300) }),
}
emitResult(result)
