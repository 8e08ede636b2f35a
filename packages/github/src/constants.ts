/** The vendor name on every error and outcome. */
export const VENDOR = 'github'

/** GitHub.com's REST API; GHEC uses it too. */
export const GITHUB_API_URL = 'https://api.github.com'

/**
 * The REST API versions notiprobe speaks (`X-GitHub-Api-Version`). 2022-11-28 is GitHub's default
 * and what GHES supports; 2026-03-10 changed nothing on the hook and delivery endpoints.
 */
export const GITHUB_API_VERSIONS = ['2022-11-28', '2026-03-10'] as const
export type GitHubApiVersion = (typeof GITHUB_API_VERSIONS)[number]
export const DEFAULT_API_VERSION: GitHubApiVersion = '2022-11-28'

/** Operation names, as errors report them. */
export const OPERATIONS = {
  configure: 'github.configure',
  fromEnv: 'github.fromEnv',
  ping: 'github.ping',
  pushTest: 'github.pushTest',
  listDeliveries: 'github.listDeliveries',
  getDelivery: 'github.getDelivery',
  redeliver: 'github.redeliver',
  createInstallationToken: 'github.createInstallationToken',
  findInstallation: 'github.findInstallation',
  signAppJwt: 'github.signAppJwt',
  webhookHandler: 'github.webhookHandler',
  createWebhookHandler: 'github.createWebhookHandler',
} as const

export type GitHubOperation = (typeof OPERATIONS)[keyof typeof OPERATIONS]
