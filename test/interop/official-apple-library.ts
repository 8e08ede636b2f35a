import { createRequire } from 'node:module'
import { AppStoreServerAPIClient, Environment } from '@apple/app-store-server-library'
import type { AppleSimulator } from '@notiprobe/simulator'

type FetchResult = ReturnType<AppStoreServerAPIClient['makeFetchRequest']>
type NodeFetch = (
  url: string,
  init: { method: string; body: string | Buffer | undefined; headers: Record<string, string> },
) => FetchResult

/**
 * Apple's official client pointed at the simulator. The library hard-codes its hosts; its
 * supported seam is the protected `makeFetchRequest`, which its own tests override. This makes the
 * very request the library builds, with the library's own node-fetch, to the simulator instead of
 * Apple. The JWT, the request bodies, the response validation and the errors are the library's.
 */
export class OfficialClientOnSimulator extends AppStoreServerAPIClient {
  readonly #baseUrl: string
  readonly #fetch: NodeFetch

  constructor(simulator: AppleSimulator) {
    super(
      simulator.credentials.privateKeyPem,
      simulator.credentials.keyId,
      simulator.credentials.issuerId,
      simulator.bundleId,
      Environment.LOCAL_TESTING,
    )
    this.#baseUrl = simulator.baseUrl
    const library = createRequire(import.meta.url).resolve('@apple/app-store-server-library')
    this.#fetch = createRequire(library)('node-fetch') as NodeFetch
  }

  protected override makeFetchRequest(
    path: string,
    query: URLSearchParams,
    method: string,
    body: string | Buffer | undefined,
    headers: Record<string, string>,
  ): FetchResult {
    const search = query.toString()
    return this.#fetch(`${this.#baseUrl}${path}${search === '' ? '' : `?${search}`}`, {
      method,
      body,
      headers,
    })
  }
}

/** The DER bytes of a PEM certificate, as Apple's SignedDataVerifier takes its roots. */
export function derOf(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
}
