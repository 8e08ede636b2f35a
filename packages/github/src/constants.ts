import { defineOperations, type Operation } from '@notiprobe/core/adapter'

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

/** Every GitHub operation: its name in errors and logs, and the words its messages start with. */
export const GITHUB_OPERATIONS = defineOperations(VENDOR, {
  configure: 'Creating the GitHub tester',
  fromEnv: 'Reading the GitHub settings from the environment',
  ping: 'Pinging the GitHub webhook',
  pushTest: 'Asking GitHub for the push test',
  check: 'Checking the GitHub test delivery',
  listDeliveries: "Reading the GitHub webhook's deliveries",
  getDelivery: 'Reading the GitHub webhook delivery',
  redeliver: 'Redelivering the GitHub webhook delivery',
  createInstallationToken: 'Getting a GitHub App installation token',
  findInstallation: "Finding the GitHub App's installation",
  signAppJwt: 'Signing the GitHub App JWT',
  webhookHandler: 'Receiving a GitHub webhook',
  createWebhookHandler: 'Creating the GitHub webhook handler',
})

type OperationKey = keyof typeof GITHUB_OPERATIONS

/** Operation names, as errors report them: `github.ping`. */
export const OPERATIONS = Object.fromEntries(
  Object.entries(GITHUB_OPERATIONS).map(([key, operation]) => [key, operation.name]),
) as { readonly [K in OperationKey]: `github.${K}` }

export type GitHubOperation = (typeof OPERATIONS)[OperationKey]

/** The operation named `name`, or a stand-in labelled by the name itself. */
export function operationNamed(name: string): Operation {
  return (
    Object.values(GITHUB_OPERATIONS).find((operation) => operation.name === name) ?? {
      name,
      label: name,
    }
  )
}
