import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from '../common/index.js'
import type { AppleRoute } from './endpoints.js'
import { sendAppleError } from './error-codes.js'
import { isWellFormedTestNotificationToken } from './identifiers.js'
import type { AppleSimulatorState } from './simulator-state.js'

/** POST /inApps/v1/notifications/test: no body; answers `{testNotificationToken}`. */
export async function handleRequestTestNotification(
  state: AppleSimulatorState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  req.resume()
  const url = state.notificationUrl
  if (url === undefined) return sendAppleError(res, 'ServerNotificationUrlNotFound')
  const testNotificationToken = await state.testNotifications.request(url)
  sendJson(res, 200, { testNotificationToken })
}

/**
 * GET /inApps/v1/notifications/test/{token}: 404 4040008 until the first attempt is recorded
 * (and for tokens never issued), then `{signedPayload, sendAttempts}`.
 */
export function handleGetTestNotificationStatus(
  state: AppleSimulatorState,
  _req: IncomingMessage,
  res: ServerResponse,
  route: AppleRoute,
): void {
  const token = route.param ?? ''
  if (!isWellFormedTestNotificationToken(token)) {
    return sendAppleError(res, 'InvalidTestNotificationToken')
  }
  const status = state.testNotifications.status(token)
  if (status === undefined) return sendAppleError(res, 'TestNotificationNotFound')
  sendJson(res, 200, status)
}
