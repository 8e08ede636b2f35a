import { NotificationTestError } from '@notiprobe/core'
import { readEnv } from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import { clientIdSchema, tokenSchema, type GitHubAuth } from './auth.js'
import { checkGitHubBaseUrl } from './base-url.js'
import { readSmallFile } from './bounded-file.js'
import { GITHUB_API_VERSIONS, OPERATIONS, VENDOR } from './constants.js'
import { loginSchema, repositoryNameSchema } from './fields.js'
import { githubIdSchema } from './github-id.js'
import type { GitHubTesterOptions } from './options.js'
import { loadAppPrivateKey } from './private-key.js'
import type { GitHubTarget } from './target.js'

/**
 * The variables `githubOptionsFromEnv` reads. `GH_TOKEN`, `GITHUB_TOKEN`, `GITHUB_API_URL` and
 * `GITHUB_REPOSITORY` are the names the GitHub CLI and GitHub Actions use, so one set of settings
 * serves both.
 */
export const GITHUB_ENV = {
  /** A token; wins over `GITHUB_TOKEN`, as in the GitHub CLI. */
  ghToken: 'GH_TOKEN',
  token: 'GITHUB_TOKEN',
  appId: 'GITHUB_APP_ID',
  clientId: 'GITHUB_APP_CLIENT_ID',
  /** PEM text; literal `\n` escapes are accepted. */
  privateKey: 'GITHUB_APP_PRIVATE_KEY',
  privateKeyFile: 'GITHUB_APP_PRIVATE_KEY_FILE',
  installationId: 'GITHUB_APP_INSTALLATION_ID',
  baseUrl: 'GITHUB_API_URL',
  apiVersion: 'GITHUB_API_VERSION',
  /** `repository`, `organization` or `app`; needed only when the others leave it open. */
  hookTarget: 'GITHUB_HOOK_TARGET',
  /** `owner/name`, as GitHub Actions sets it for every job. */
  repository: 'GITHUB_REPOSITORY',
  org: 'GITHUB_ORG',
  hookId: 'GITHUB_HOOK_ID',
} as const

type Variable = (typeof GITHUB_ENV)[keyof typeof GITHUB_ENV]

/** A `.pem` App key is under 4 KB; a file much larger is not one and is not read further. */
const MAX_KEY_FILE_BYTES = 64 * 1024

const TARGET_TYPES = ['repository', 'organization', 'app'] as const

/**
 * Options for `createGitHubTester` from the environment. Auth: `GH_TOKEN` or `GITHUB_TOKEN`, or a
 * GitHub App (`GITHUB_APP_CLIENT_ID` or `GITHUB_APP_ID`, `GITHUB_APP_PRIVATE_KEY` or
 * `GITHUB_APP_PRIVATE_KEY_FILE`, and `GITHUB_APP_INSTALLATION_ID` for repository and organization
 * hooks). Target: `GITHUB_REPOSITORY` or `GITHUB_ORG` with `GITHUB_HOOK_ID`, or
 * `GITHUB_HOOK_TARGET=app`; `GITHUB_HOOK_TARGET` also settles which one when both are set (GitHub
 * Actions sets `GITHUB_REPOSITORY` in every job). `GITHUB_API_URL` and `GITHUB_API_VERSION` are
 * optional. An empty variable counts as unset; `overrides` win, a whole `target` or `auth` at a
 * time. Every problem is reported at once, each named by its variable; the App key is read
 * (bounded) and parsed here.
 */
export function githubOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: Partial<GitHubTesterOptions> = {},
): GitHubTesterOptions {
  const problems: string[] = []
  const present = readEnv(env, GITHUB_ENV, { vendor: VENDOR, operation: OPERATIONS.fromEnv })
  const value = (name: Variable): string | undefined => present[name]?.trim()
  const checked = <T>(name: Variable, schema: z.ZodType<T>): T | undefined => {
    const raw = value(name)
    if (raw === undefined) return undefined
    const result = z.safeParse(schema, raw)
    if (result.success) return result.data
    problems.push(`${name}: ${result.error.issues[0]?.message ?? 'is invalid'}`)
    return undefined
  }

  const target = overrides.target ?? targetFromEnv(value, checked, problems)
  const targetType = target === undefined ? undefined : 'app' in target ? 'app' : 'other'
  const auth = overrides.auth ?? authFromEnv(value, checked, problems, targetType)

  let baseUrl: string | undefined
  const apiUrl = overrides.baseUrl === undefined ? value(GITHUB_ENV.baseUrl) : undefined
  if (apiUrl !== undefined) {
    const result = checkGitHubBaseUrl(apiUrl, GITHUB_ENV.baseUrl)
    if ('url' in result) baseUrl = result.url
    else problems.push(`${GITHUB_ENV.baseUrl}: ${result.problem}`)
  }
  const apiVersion =
    overrides.apiVersion === undefined
      ? checked(
          GITHUB_ENV.apiVersion,
          z.enum(GITHUB_API_VERSIONS, {
            error: `must be one of ${GITHUB_API_VERSIONS.join(', ')}`,
          }),
        )
      : undefined

  if (problems.length > 0 || target === undefined || auth === undefined) {
    throw new NotificationTestError({
      vendor: VENDOR,
      operation: OPERATIONS.fromEnv,
      kind: 'config',
      message: `Invalid GitHub settings in the environment: ${problems.join('; ')}`,
    })
  }
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, given]) => given !== undefined),
  )
  return {
    target,
    auth,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(apiVersion === undefined ? {} : { apiVersion }),
    ...defined,
  }
}

type Reader = (name: Variable) => string | undefined
type Checker = <T>(name: Variable, schema: z.ZodType<T>) => T | undefined

const hookIdSchema = githubIdSchema("the hook's id")
const orgSchema = loginSchema('an organization login')
const repositorySchema = z.pipe(
  z.string(),
  z.transform((text, ctx) => {
    const [owner, repo, extra] = text.split('/')
    const ownerOk = z.safeParse(loginSchema('owner'), owner)
    const repoOk = z.safeParse(repositoryNameSchema, repo)
    if (extra === undefined && ownerOk.success && repoOk.success) {
      return { owner: ownerOk.data, repo: repoOk.data }
    }
    ctx.addIssue({
      code: 'custom',
      message: 'must be owner/name, e.g. octocat/hello-world (letters, digits, ".", "_", "-")',
    })
    return z.NEVER
  }),
)
const hookTargetSchema = z.pipe(
  z.pipe(
    z.string(),
    z.transform((text) => text.toLowerCase()),
  ),
  z.enum(TARGET_TYPES, { error: `must be one of ${TARGET_TYPES.join(', ')}` }),
)

function targetFromEnv(
  value: Reader,
  checked: Checker,
  problems: string[],
): GitHubTarget | undefined {
  const chosen = checked(GITHUB_ENV.hookTarget, hookTargetSchema)
  if (value(GITHUB_ENV.hookTarget) !== undefined && chosen === undefined) return undefined
  const hasRepository = value(GITHUB_ENV.repository) !== undefined
  const hasOrg = value(GITHUB_ENV.org) !== undefined
  let type = chosen
  if (type === undefined) {
    if (hasRepository && hasOrg) {
      problems.push(
        `${GITHUB_ENV.hookTarget} is required when both ${GITHUB_ENV.repository} and ${GITHUB_ENV.org} are set: repository or organization (GitHub Actions sets ${GITHUB_ENV.repository} in every job)`,
      )
      return undefined
    }
    type = hasOrg ? 'organization' : hasRepository ? 'repository' : undefined
  }
  if (type === undefined) {
    problems.push(
      `${GITHUB_ENV.repository} (owner/name) or ${GITHUB_ENV.org}, with ${GITHUB_ENV.hookId}, is required to say which hook to test; or ${GITHUB_ENV.hookTarget}=app for the GitHub App's hook`,
    )
    return undefined
  }
  if (type === 'app') return { app: true }
  const hookId = checked(GITHUB_ENV.hookId, hookIdSchema)
  if (value(GITHUB_ENV.hookId) === undefined) {
    problems.push(
      `${GITHUB_ENV.hookId} is required (the hook's id, from its settings page URL or the X-GitHub-Hook-ID header)`,
    )
  }
  if (type === 'organization') {
    const org = checked(GITHUB_ENV.org, orgSchema)
    if (!hasOrg)
      problems.push(`${GITHUB_ENV.org} is required when ${GITHUB_ENV.hookTarget} is organization`)
    return org === undefined || hookId === undefined ? undefined : { org, hookId }
  }
  const repository = checked(GITHUB_ENV.repository, repositorySchema)
  if (!hasRepository) {
    problems.push(
      `${GITHUB_ENV.repository} is required (owner/name) when ${GITHUB_ENV.hookTarget} is repository`,
    )
  }
  return repository === undefined || hookId === undefined ? undefined : { ...repository, hookId }
}

const APP_VARIABLES = [
  GITHUB_ENV.appId,
  GITHUB_ENV.clientId,
  GITHUB_ENV.privateKey,
  GITHUB_ENV.privateKeyFile,
] as const

function authFromEnv(
  value: Reader,
  checked: Checker,
  problems: string[],
  targetType: 'app' | 'other' | undefined,
): GitHubAuth | undefined {
  const tokenVariable =
    value(GITHUB_ENV.ghToken) !== undefined ? GITHUB_ENV.ghToken : GITHUB_ENV.token
  const token = value(tokenVariable)
  const usesApp = targetType === 'app' || APP_VARIABLES.some((name) => value(name) !== undefined)
  if (!usesApp) {
    if (token !== undefined) {
      // Checked here too, so that a malformed token is named by its variable, not as auth.token.
      const checkedToken = checked(tokenVariable, tokenSchema)
      return checkedToken === undefined ? undefined : { token: checkedToken }
    }
    problems.push(
      `${GITHUB_ENV.ghToken} or ${GITHUB_ENV.token} is required (a token with the Webhooks permission), or a GitHub App: ${GITHUB_ENV.clientId} or ${GITHUB_ENV.appId}, and ${GITHUB_ENV.privateKey} or ${GITHUB_ENV.privateKeyFile}`,
    )
    return undefined
  }
  if (token !== undefined && targetType !== 'app') {
    problems.push(
      `${tokenVariable} and the GitHub App variables are both set: set one kind of credential, not both`,
    )
    return undefined
  }
  const appId = checked(GITHUB_ENV.appId, githubIdSchema("the GitHub App's id"))
  const clientId = checked(GITHUB_ENV.clientId, clientIdSchema)
  if (value(GITHUB_ENV.appId) === undefined && value(GITHUB_ENV.clientId) === undefined) {
    problems.push(`${GITHUB_ENV.clientId} or ${GITHUB_ENV.appId} is required for a GitHub App`)
  }
  if (value(GITHUB_ENV.appId) !== undefined && value(GITHUB_ENV.clientId) !== undefined) {
    problems.push(
      `${GITHUB_ENV.clientId} and ${GITHUB_ENV.appId} are both set: set one, the JWT names one issuer`,
    )
  }
  const privateKey = keyFromEnv(value, problems)
  const installationId =
    targetType === 'app'
      ? undefined
      : checked(GITHUB_ENV.installationId, githubIdSchema("the App installation's id"))
  if (privateKey === undefined) return undefined
  return {
    ...(clientId === undefined ? { appId } : { clientId }),
    privateKey,
    ...(installationId === undefined ? {} : { installationId }),
  }
}

function keyFromEnv(value: Reader, problems: string[]) {
  const text = value(GITHUB_ENV.privateKey)
  const path = value(GITHUB_ENV.privateKeyFile)
  if (text !== undefined && path !== undefined) {
    problems.push(`${GITHUB_ENV.privateKey} and ${GITHUB_ENV.privateKeyFile} are both set: set one`)
    return undefined
  }
  let pem = text
  const name = path === undefined ? GITHUB_ENV.privateKey : GITHUB_ENV.privateKeyFile
  if (path !== undefined) {
    const read = readSmallFile(path, MAX_KEY_FILE_BYTES)
    if ('problem' in read) {
      problems.push(`${name}: ${read.problem}`)
      return undefined
    }
    pem = read.text
  }
  if (pem === undefined) {
    problems.push(
      `${GITHUB_ENV.privateKey} or ${GITHUB_ENV.privateKeyFile} is required for a GitHub App (the .pem key GitHub downloads)`,
    )
    return undefined
  }
  const loaded = loadAppPrivateKey(pem)
  if ('key' in loaded) return loaded.key
  problems.push(`${name}: ${loaded.problem}`)
  return undefined
}
