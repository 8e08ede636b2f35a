import { createPrivateKey, sign } from 'node:crypto'
import type { AppleTarget } from '../target.js'
import { expectStatus, RawHttp } from './raw-http.js'
import type { AppleBenchClient, HistoryWindow } from './types.js'

interface HistoryPage {
  notificationHistory: unknown[]
  hasMore: boolean
  paginationToken?: string
}

/**
 * Apple's calls by hand: a fresh ES256 JWT per request (as Apple advises, and as notiprobe and
 * Apple's library do), signed with `node:crypto` alone, and `JSON.parse` of the answer.
 */
export function createAppleClient(target: AppleTarget): AppleBenchClient {
  const key = createPrivateKey(target.privateKeyPem)
  const http = new RawHttp(target.baseUrl)
  const header = base64url({ alg: 'ES256', kid: target.keyId, typ: 'JWT' })

  const jwt = (): string => {
    const iat = Math.floor(Date.now() / 1000)
    const payload = base64url({
      iss: target.issuerId,
      iat,
      exp: iat + 300,
      aud: 'appstoreconnect-v1',
      bid: target.bundleId,
    })
    const input = `${header}.${payload}`
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
    return `${input}.${signature.toString('base64url')}`
  }
  const headers = (): Record<string, string> => ({
    authorization: `Bearer ${jwt()}`,
    accept: 'application/json',
  })

  return {
    async requestTest() {
      const response = await http.request('POST', '/inApps/v1/notifications/test', headers())
      expectStatus(response, 200, 'requestTestNotification')
      return (JSON.parse(response.body) as { testNotificationToken: string }).testNotificationToken
    },
    async status(token) {
      const response = await http.request(
        'GET',
        `/inApps/v1/notifications/test/${encodeURIComponent(token)}`,
        headers(),
      )
      expectStatus(response, 200, 'getTestNotificationStatus')
      return JSON.parse(response.body) as unknown
    },
    statusVerified() {
      return Promise.reject(new Error('the raw baseline does not verify certificate chains'))
    },
    async history(window: HistoryWindow, onRecord) {
      const body = JSON.stringify({ startDate: window.startDate, endDate: window.endDate })
      let paginationToken: string | undefined
      for (;;) {
        const query =
          paginationToken === undefined
            ? ''
            : `?paginationToken=${encodeURIComponent(paginationToken)}`
        const response = await http.request(
          'POST',
          `/inApps/v1/notifications/history${query}`,
          { ...headers(), 'content-type': 'application/json' },
          body,
        )
        expectStatus(response, 200, 'getNotificationHistory')
        const page = JSON.parse(response.body) as HistoryPage
        for (const record of page.notificationHistory) onRecord(record)
        if (!page.hasMore || page.paginationToken === undefined) return
        paginationToken = page.paginationToken
      }
    },
    close() {
      http.close()
    },
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}
