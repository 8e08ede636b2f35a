import http from 'node:http'

export interface RawResponse {
  readonly status: number
  readonly body: string
}

/**
 * The floor any client can reach: `node:http` with a keep-alive agent, the body collected as text,
 * nothing else. Shared by both raw baselines.
 */
export class RawHttp {
  readonly #agent = new http.Agent({ keepAlive: true })
  readonly #host: string
  readonly #port: number

  constructor(baseUrl: string) {
    const url = new URL(baseUrl)
    this.#host = url.hostname
    this.#port = Number(url.port)
  }

  request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: this.#agent,
          host: this.#host,
          port: this.#port,
          method,
          path,
          headers:
            body === undefined
              ? headers
              : { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.setEncoding('utf8')
          let text = ''
          res.on('data', (chunk: string) => (text += chunk))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  }

  close(): void {
    this.#agent.destroy()
  }
}

export function expectStatus(response: RawResponse, status: number, what: string): void {
  if (response.status !== status) {
    throw new Error(`${what}: HTTP ${response.status} ${response.body.slice(0, 200)}`)
  }
}
