/**
 * The demo's path: send a TEST notification with notiprobe, then wait for the confirmed outcome
 * with core's `runTest`, several times. Reports when each was sent and confirmed; the orchestrator
 * compares with the simulator's own record of the delivery.
 */
import { createAppleTester } from '@notiprobe/apple'
import { runTest } from '@notiprobe/core'
import { epochNow } from '../spawn.js'
import { emitResult } from '../protocol.js'
import { appleTarget } from '../target.js'

export interface ConfirmationTask {
  readonly runs: number
  readonly rateLimits: 'off' | 'hourly'
}

export interface Confirmation {
  readonly token: string
  readonly sentAtEpochMs: number
  readonly confirmedAtEpochMs: number
  readonly state: string
}

export interface ConfirmationResult {
  readonly pollIntervalMs: number
  readonly confirmations: readonly Confirmation[]
}

const task = JSON.parse(process.argv[2] ?? '{}') as ConfirmationTask
const target = appleTarget()
const tester = createAppleTester({
  issuerId: target.issuerId,
  keyId: target.keyId,
  privateKey: target.privateKeyPem,
  bundleId: target.bundleId,
  environment: 'Sandbox',
  baseUrl: target.baseUrl,
  rootCertificates: [target.rootCertificatePem],
  rateLimits: task.rateLimits,
})
const confirmations: Confirmation[] = []
for (let i = 0; i < task.runs; i++) {
  const sentAtEpochMs = epochNow()
  let token = ''
  const outcome = await runTest(tester, {
    timeoutMs: 60_000,
    onSent: (ticket) => (token = ticket.id),
  })
  confirmations.push({ token, sentAtEpochMs, confirmedAtEpochMs: epochNow(), state: outcome.state })
}
tester.close()
const result: ConfirmationResult = { pollIntervalMs: tester.pollIntervalMs, confirmations }
emitResult(result)
