import type { GitHubTarget } from '../target.js'
import { githubRequests } from './github-paths.js'
import { expectStatus, RawHttp } from './raw-http.js'
import type { GitHubBenchClient } from './types.js'

/** GitHub by hand: `node:http` with the token, GitHub's headers and `JSON.parse`, nothing else. */
export function createGitHubClient(target: GitHubTarget): GitHubBenchClient {
  const api = new RawHttp(new URL(target.baseUrl).origin)
  const prefix = new URL(target.baseUrl).pathname.replace(/\/$/, '')
  const { pingPath, deliveriesPath, headers } = githubRequests(target)
  return {
    async ping() {
      expectStatus(await api.request('POST', prefix + pingPath, headers), 204, 'pingWebhook')
    },
    async deliveries() {
      const response = await api.request('GET', prefix + deliveriesPath, headers)
      expectStatus(response, 200, 'listWebhookDeliveries')
      return (JSON.parse(response.body) as unknown[]).length
    },
    close() {
      api.close()
    },
  }
}
