import { createRequire } from 'node:module'
import {
  AppStoreServerAPIClient,
  Environment,
  SignedDataVerifier,
} from '@apple/app-store-server-library'
import type { AppleTarget } from '../target.js'
import type { AppleBenchClient, HistoryWindow } from './types.js'

type NodeFetch = (
  url: string,
  init: { method: string; body: string | Buffer | undefined; headers: Record<string, string> },
) => FetchResult

type FetchResult = ReturnType<AppStoreServerAPIClient['makeFetchRequest']>

/**
 * Apple's library pointed at the simulator. It hard-codes its hosts; its supported seam is the
 * protected `makeFetchRequest` (its own unit tests override it). This subclass makes exactly the
 * call the library makes, with the library's own `node-fetch`, to the simulator's base URL instead
 * of the placeholder `LocalTesting` host. Everything else (a JWT per request with jsonwebtoken, the
 * response validators, the errors) is the library's unchanged code.
 */
class SimulatorAppStoreClient extends AppStoreServerAPIClient {
  readonly #baseUrl: string
  readonly #fetch: NodeFetch

  constructor(target: AppleTarget) {
    super(
      target.privateKeyPem,
      target.keyId,
      target.issuerId,
      target.bundleId,
      Environment.LOCAL_TESTING,
    )
    this.#baseUrl = target.baseUrl
    // The very module instance the library imports, resolved from the library's own location.
    const library = createRequire(import.meta.url).resolve('@apple/app-store-server-library')
    this.#fetch = createRequire(library)('node-fetch') as NodeFetch
  }

  protected override makeFetchRequest(
    path: string,
    parsedQueryParameters: URLSearchParams,
    method: string,
    requestBody: string | Buffer | undefined,
    headers: Record<string, string>,
  ): FetchResult {
    return this.#fetch(`${this.#baseUrl}${path}?${parsedQueryParameters.toString()}`, {
      method,
      body: requestBody,
      headers,
    })
  }
}

/** Apple's official library, as an app using it would call it. */
export function createAppleClient(target: AppleTarget): AppleBenchClient {
  const client = new SimulatorAppStoreClient(target)
  let verifier: SignedDataVerifier | undefined
  const verifierFor = (): SignedDataVerifier =>
    (verifier ??= new SignedDataVerifier(
      [pemToDer(target.rootCertificatePem)],
      false,
      Environment.SANDBOX,
      target.bundleId,
    ))

  return {
    async requestTest() {
      const { testNotificationToken } = await client.requestTestNotification()
      if (testNotificationToken === undefined) throw new Error('no testNotificationToken')
      return testNotificationToken
    },
    status(token) {
      return client.getTestNotificationStatus(token)
    },
    async statusVerified(token) {
      const status = await client.getTestNotificationStatus(token)
      if (status.signedPayload === undefined) throw new Error('no signedPayload')
      return verifierFor().verifyAndDecodeNotification(status.signedPayload)
    },
    async history(window: HistoryWindow, onRecord) {
      const request = { startDate: window.startDate, endDate: window.endDate }
      let paginationToken: string | null = null
      for (;;) {
        const page = await client.getNotificationHistory(paginationToken, request)
        for (const record of page.notificationHistory ?? []) onRecord(record)
        if (page.hasMore !== true || page.paginationToken === undefined) return
        paginationToken = page.paginationToken
      }
    },
    close() {
      // The library keeps no handle to close: node-fetch uses Node's global agent.
    },
  }
}

function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
}
