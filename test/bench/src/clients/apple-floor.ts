import { createPrivateKey } from 'node:crypto'
import { SignJWT } from 'jose/jwt/sign'
import type { AppleTarget } from '../target.js'
import { expectFloorStatus, FloorHttp } from './floor-http.js'
import type { AppleBenchClient, HistoryWindow } from './types.js'

interface HistoryPage {
  notificationHistory: unknown[]
  hasMore: boolean
  paginationToken?: string
}

/**
 * Apple's calls with the named dependencies used bare: one axios instance (floor-http.ts), a fresh
 * ES256 JWT signed by jose for every request (the claims notiprobe and Apple's library send), and
 * `JSON.parse` of the answer. No validation, deadline, retry, rate limit or logging.
 */
export function createAppleClient(target: AppleTarget): AppleBenchClient {
  const key = createPrivateKey(target.privateKeyPem)
  const http = new FloorHttp(target.baseUrl)

  const headers = async (): Promise<Record<string, string>> => {
    const iat = Math.floor(Date.now() / 1000)
    const jwt = await new SignJWT({ bid: target.bundleId })
      .setProtectedHeader({ alg: 'ES256', kid: target.keyId, typ: 'JWT' })
      .setIssuer(target.issuerId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .setAudience('appstoreconnect-v1')
      .sign(key)
    return { authorization: `Bearer ${jwt}`, accept: 'application/json' }
  }

  return {
    async requestTest() {
      const response = await http.request('POST', '/inApps/v1/notifications/test', await headers())
      expectFloorStatus(response, 200, 'requestTestNotification')
      return (JSON.parse(response.body) as { testNotificationToken: string }).testNotificationToken
    },
    async status(token) {
      const response = await http.request(
        'GET',
        `/inApps/v1/notifications/test/${encodeURIComponent(token)}`,
        await headers(),
      )
      expectFloorStatus(response, 200, 'getTestNotificationStatus')
      return JSON.parse(response.body) as unknown
    },
    statusVerified() {
      return Promise.reject(new Error('the floor client does not verify certificate chains'))
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
          { ...(await headers()), 'content-type': 'application/json' },
          body,
        )
        expectFloorStatus(response, 200, 'getNotificationHistory')
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
