import type { GitHubTarget, GitHubTester, GitHubTesterOptions } from '@notiprobe/github'
import type { CommandContext } from '../context.js'
import { usageError } from '../errors.js'

/** The hook a command names: `--repo owner/name --hook-id N`, `--org login --hook-id N` or `--app`. */
export interface GitHubTargetFlags {
  readonly repo?: string | undefined
  readonly org?: string | undefined
  readonly app?: boolean | undefined
  readonly hookId?: string | undefined
}

export interface GitHubOverrides extends GitHubTargetFlags {
  readonly baseUrl?: string | undefined
  readonly apiVersion?: string | undefined
  readonly timeoutMs?: number | undefined
  /** From a config file: values that win over the environment. */
  readonly fromConfig?: Partial<Pick<GitHubTesterOptions, 'target' | 'baseUrl' | 'apiVersion'>>
}

/**
 * A GitHub tester from the environment (`GITHUB_*`, `GH_TOKEN`: the adapter's GITHUB_ENV), a config
 * file's section and the command line, in rising order of precedence. Credentials come only from
 * the environment (a token, or the App's key as text or a file); the adapter checks every value and
 * names the variable at fault.
 */
export async function githubTester(
  context: CommandContext,
  overrides: GitHubOverrides,
): Promise<GitHubTester> {
  const { createGitHubTester, githubOptionsFromEnv } = await import('@notiprobe/github')
  const config = overrides.fromConfig ?? {}
  const target = targetFromFlags(context, overrides) ?? config.target
  const options = githubOptionsFromEnv(context.io.env, {
    ...(target === undefined ? {} : { target }),
    baseUrl: overrides.baseUrl ?? config.baseUrl,
    apiVersion: (overrides.apiVersion ?? config.apiVersion) as GitHubTesterOptions['apiVersion'],
    timeoutMs: overrides.timeoutMs,
    proxy: context.proxy,
    onEvent: context.onEvent,
  })
  return createGitHubTester(options)
}

function targetFromFlags(
  context: CommandContext,
  flags: GitHubTargetFlags,
): GitHubTarget | undefined {
  const chosen = [flags.repo !== undefined, flags.org !== undefined, flags.app === true].filter(
    Boolean,
  )
  const fail = (message: string) =>
    usageError(message, { vendor: 'github', operation: context.operation, kind: 'invalid_input' })
  if (chosen.length > 1)
    throw fail('Give one of --repo, --org or --app: they name different hooks.')
  if (flags.app === true) {
    if (flags.hookId !== undefined)
      throw fail('--hook-id is not used with --app: the App has one hook.')
    return { app: true }
  }
  if (flags.repo === undefined && flags.org === undefined) {
    if (flags.hookId !== undefined) throw fail('--hook-id needs --repo owner/name or --org login.')
    return undefined
  }
  if (flags.hookId === undefined) {
    throw fail(
      `--hook-id is required with ${flags.repo === undefined ? '--org' : '--repo'}: the hook's id, from its settings page URL.`,
    )
  }
  if (flags.org !== undefined) return { org: flags.org, hookId: flags.hookId }
  const [owner, repo, extra] = (flags.repo ?? '').split('/')
  if (
    owner === undefined ||
    repo === undefined ||
    owner === '' ||
    repo === '' ||
    extra !== undefined
  ) {
    throw fail('--repo: expected owner/name, e.g. octocat/hello-world.')
  }
  return { owner, repo, hookId: flags.hookId }
}
