import type { GitHubTarget } from '../target.js'
import { expectFloorStatus, FloorHttp } from './floor-http.js'
import { githubRequests } from './github-paths.js'
import type { GitHubBenchClient } from './types.js'

/**
 * GitHub with the named dependencies used bare: one axios instance (floor-http.ts), the token and
 * GitHub's headers, `JSON.parse` of the answer. No validation, deadline, retry, rate limit or
 * logging.
 */
export function createGitHubClient(target: GitHubTarget): GitHubBenchClient {
  return createFloorClient(target, (body) => JSON.parse(body) as unknown[])
}

/** The floor, reading a page of the deliveries log with `readPage` (github-zod-floor.ts checks it). */
export function createFloorClient(
  target: GitHubTarget,
  readPage: (body: string) => readonly unknown[],
): GitHubBenchClient {
  const http = new FloorHttp(target.baseUrl)
  const { pingPath, deliveriesPath, headers } = githubRequests(target)
  return {
    async ping() {
      expectFloorStatus(await http.request('POST', pingPath, headers), 204, 'pingWebhook')
    },
    async deliveries() {
      const response = await http.request('GET', deliveriesPath, headers)
      expectFloorStatus(response, 200, 'listWebhookDeliveries')
      return readPage(response.body).length
    },
    close() {
      http.close()
    },
  }
}
