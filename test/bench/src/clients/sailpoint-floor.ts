import * as oauth from 'openid-client'
import type { SailPointTarget } from '../target.js'
import { SAILPOINT_SEND } from '../target.js'
import { expectFloorStatus, FloorHttp } from './floor-http.js'
import type { SailPointBenchClient } from './types.js'

/**
 * SailPoint with the named dependencies used bare: one client-credentials token from
 * openid-client (no discovery, its own fetch), then bare POSTs with one axios instance.
 */
export function createSailPointClient(target: SailPointTarget): SailPointBenchClient {
  const api = new FloorHttp(target.baseUrl)
  const body = JSON.stringify(SAILPOINT_SEND)
  const config = new oauth.Configuration(
    { issuer: new URL(target.tokenUrl).origin, token_endpoint: target.tokenUrl },
    target.clientId,
    undefined,
    oauth.ClientSecretPost(target.clientSecret),
  )
  // The simulator is plain http on 127.0.0.1.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  oauth.allowInsecureRequests(config)
  let token: Promise<string> | undefined

  return {
    async send() {
      token ??= oauth.clientCredentialsGrant(config).then((t) => t.access_token)
      const response = await api.request(
        'POST',
        '/beta/send-test-notification',
        {
          authorization: `Bearer ${await token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body,
      )
      expectFloorStatus(response, 204, 'sendTestNotification')
    },
    close() {
      api.close()
    },
  }
}
