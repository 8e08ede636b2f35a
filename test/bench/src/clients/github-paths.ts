import type { GitHubTarget } from '../target.js'
import { GITHUB_PAGE_SIZE } from '../target.js'

/** The two calls every GitHub client makes, by path, and the headers GitHub asks clients for. */
export function githubRequests(target: GitHubTarget): {
  readonly pingPath: string
  readonly deliveriesPath: string
  readonly headers: Record<string, string>
} {
  const hook = `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}/hooks/${String(target.hookId)}`
  return {
    pingPath: `${hook}/pings`,
    deliveriesPath: `${hook}/deliveries?per_page=${String(GITHUB_PAGE_SIZE)}`,
    headers: {
      authorization: `Bearer ${target.token}`,
      accept: 'application/vnd.github+json',
      'user-agent': 'notiprobe-bench',
      'x-github-api-version': '2022-11-28',
    },
  }
}
