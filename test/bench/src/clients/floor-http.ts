import http from 'node:http'
import https from 'node:https'
import { createRequire } from 'node:module'
import type { AxiosInstance, AxiosStatic } from 'axios'

export interface FloorResponse {
  readonly status: number
  readonly body: string
}

/**
 * axios loaded its cheapest way, as notiprobe loads it: its single-file CommonJS build loads in
 * about half the time of its ES modules, and a floor that paid the slower load would flatter every
 * cold start measured against it.
 */
const axios = createRequire(import.meta.url)('axios') as AxiosStatic

/**
 * The named-dependency floor's HTTP: one axios instance with the agent settings of notiprobe's
 * transport (keep-alive, 64 sockets, the http adapter, no redirects, no proxy), the body as text,
 * nothing else. What any client restricted to the project's named libraries pays per request.
 */
export class FloorHttp {
  readonly #httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  readonly #httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 })
  readonly #axios: AxiosInstance

  constructor(baseUrl: string) {
    this.#axios = axios.create({
      baseURL: baseUrl,
      adapter: 'http',
      httpAgent: this.#httpAgent,
      httpsAgent: this.#httpsAgent,
      maxRedirects: 0,
      proxy: false,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
    })
  }

  async request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<FloorResponse> {
    const response = await this.#axios.request<string>({ method, url: path, headers, data: body })
    return { status: response.status, body: response.data }
  }

  close(): void {
    this.#httpAgent.destroy()
    this.#httpsAgent.destroy()
  }
}

export function expectFloorStatus(response: FloorResponse, status: number, what: string): void {
  if (response.status !== status) {
    throw new Error(`${what}: HTTP ${response.status} ${response.body.slice(0, 200)}`)
  }
}
