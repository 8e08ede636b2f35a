import type { SailPointTarget } from '../target.js'
import { SAILPOINT_SEND } from '../target.js'
import { expectStatus, RawHttp } from './raw-http.js'
import type { SailPointBenchClient } from './types.js'

/** SailPoint by hand: one client-credentials token fetched once, then bare POSTs with it. */
export function createSailPointClient(target: SailPointTarget): SailPointBenchClient {
  const api = new RawHttp(target.baseUrl)
  const tokenUrl = new URL(target.tokenUrl)
  const auth = new RawHttp(tokenUrl.origin)
  const body = JSON.stringify(SAILPOINT_SEND)
  let token: Promise<string> | undefined

  const fetchToken = async (): Promise<string> => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: target.clientId,
      client_secret: target.clientSecret,
    }).toString()
    const response = await auth.request(
      'POST',
      tokenUrl.pathname,
      { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      form,
    )
    expectStatus(response, 200, 'token')
    return (JSON.parse(response.body) as { access_token: string }).access_token
  }

  return {
    async send() {
      token ??= fetchToken()
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
      expectStatus(response, 204, 'sendTestNotification')
    },
    close() {
      api.close()
      auth.close()
    },
  }
}
