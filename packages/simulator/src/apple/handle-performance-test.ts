import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from '../common/index.js'
import type { AppleRoute } from './endpoints.js'
import { sendAppleError } from './error-codes.js'
import { isUuid } from './identifiers.js'
import { readJsonBody } from './read-json-body.js'
import type { AppleSimulatorState } from './simulator-state.js'

const ORIGINAL_TRANSACTION_ID = /^\d{1,32}$/

/**
 * POST /inApps/v1/messaging/performanceTest `{originalTransactionId}`: starts a run against the
 * realtime URL and answers `{config, requestId}`. A bad body is 4000211, a run in progress
 * 4000213, and no realtime URL configured 404 4040021 (RealtimeUrlNotFound).
 */
export async function handleInitiatePerformanceTest(
  state: AppleSimulatorState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!state.options.retentionMessaging) {
    // No access to the Retention Messaging API: Apple's 404 carries no body at all.
    req.resume()
    res.writeHead(404, { 'content-length': 0 })
    res.end()
    return
  }
  const body = await readJsonBody(req)
  const value = body.ok ? body.value : undefined
  const originalTransactionId =
    typeof value === 'object' && value !== null && 'originalTransactionId' in value
      ? value.originalTransactionId
      : undefined
  if (
    typeof originalTransactionId !== 'string' ||
    !ORIGINAL_TRANSACTION_ID.test(originalTransactionId)
  ) {
    return sendAppleError(res, 'InvalidPerformanceTestRequest')
  }
  const target = state.realtimeUrl
  if (target === undefined) return sendAppleError(res, 'RealtimeUrlNotFound')
  if (state.performanceTests.active !== undefined) {
    return sendAppleError(res, 'ExistingPerformanceTestRun')
  }
  const run = state.performanceTests.start(originalTransactionId, target)
  sendJson(res, 200, { config: run.config, requestId: run.requestId })
}

/** GET /inApps/v1/messaging/performanceTest/result/{requestId}. */
export function handleGetPerformanceTestResults(
  state: AppleSimulatorState,
  _req: IncomingMessage,
  res: ServerResponse,
  route: AppleRoute,
): void {
  const requestId = route.param ?? ''
  if (!isUuid(requestId)) return sendAppleError(res, 'InvalidRequestId')
  const run = state.performanceTests.get(requestId)
  if (run === undefined) return sendAppleError(res, 'PerformanceTestRunNotFound')
  sendJson(res, 200, run.result())
}
