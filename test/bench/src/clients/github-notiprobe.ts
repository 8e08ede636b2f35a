import { createGitHubTester } from '@notiprobe/github'
import type { GitHubTarget } from '../target.js'
import { GITHUB_PAGE_SIZE } from '../target.js'
import type { GitHubBenchClient } from './types.js'

/** notiprobe's GitHub adapter on a repository hook with a token, its client-side limits off. */
export function createGitHubClient(target: GitHubTarget): GitHubBenchClient {
  const tester = createGitHubTester({
    baseUrl: target.baseUrl,
    target: { owner: target.owner, repo: target.repo, hookId: target.hookId },
    auth: { token: target.token },
    // As the other vendors' clients: the simulator's limits are off, and so is the client's.
    rateLimits: 'off',
  })
  return {
    async ping() {
      await tester.send()
    },
    async deliveries() {
      const ids: unknown[] = []
      for await (const delivery of tester.listDeliveries({ perPage: GITHUB_PAGE_SIZE })) {
        ids.push(delivery.id)
      }
      return ids.length
    },
    close() {
      tester.close()
    },
  }
}
