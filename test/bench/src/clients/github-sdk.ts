import { Octokit } from '@octokit/rest'
import type { GitHubTarget } from '../target.js'
import { GITHUB_PAGE_SIZE } from '../target.js'
import type { GitHubBenchClient } from './types.js'

/**
 * Octokit, GitHub's official SDK, as documented: `new Octokit({auth, baseUrl})` and its generated
 * REST methods, with its own `fetch` (Node's undici) and its default plugins.
 */
export function createGitHubClient(target: GitHubTarget): GitHubBenchClient {
  const octokit = new Octokit({ auth: target.token, baseUrl: target.baseUrl })
  const hook = { owner: target.owner, repo: target.repo, hook_id: target.hookId }
  return {
    async ping() {
      await octokit.rest.repos.pingWebhook(hook)
    },
    async deliveries() {
      const { data } = await octokit.rest.repos.listWebhookDeliveries({
        ...hook,
        per_page: GITHUB_PAGE_SIZE,
      })
      return data.length
    },
    close() {
      // Octokit holds no agent of its own: Node's global fetch pools the connections.
    },
  }
}
