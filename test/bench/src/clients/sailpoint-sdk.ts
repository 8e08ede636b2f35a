import { Configuration, NotificationsBetaApi } from 'sailpoint-api-client'
import type { SailPointTarget } from '../target.js'
import { SAILPOINT_SEND } from '../target.js'
import type { SailPointBenchClient } from './types.js'

/**
 * SailPoint's official SDK, configured the documented way (`baseurl`, `tokenUrl`, client id and
 * secret). Its `Configuration` fetches one token when constructed and never renews it.
 */
export function createSailPointClient(target: SailPointTarget): SailPointBenchClient {
  const configuration = new Configuration({
    baseurl: target.baseUrl,
    tokenUrl: target.tokenUrl,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
  })
  const api = new NotificationsBetaApi(configuration)
  return {
    async send() {
      const response = await api.sendTestNotification({
        sendTestNotificationRequestDtoBeta: {
          key: SAILPOINT_SEND.key,
          medium: SAILPOINT_SEND.medium,
          context: SAILPOINT_SEND.context,
        },
      })
      if (response.status !== 204) throw new Error(`sendTestNotification: HTTP ${response.status}`)
    },
    close() {
      // Nothing to close: the SDK uses axios's global instance and Node's global agent.
    },
  }
}
