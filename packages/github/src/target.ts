import { z } from '@notiprobe/core/zod'
import { expected, loginSchema, oneOfShapes, repositoryNameSchema } from './fields.js'
import { githubIdSchema, type GitHubId } from './github-id.js'

/** Which hook a tester pings and whose deliveries log it reads. */
export type GitHubTarget =
  | { readonly owner: string; readonly repo: string; readonly hookId: number | string | bigint }
  | { readonly org: string; readonly hookId: number | string | bigint }
  | { readonly app: true }

export type ResolvedTarget =
  | {
      readonly type: 'repository'
      readonly owner: string
      readonly repo: string
      readonly hookId: GitHubId
    }
  | { readonly type: 'organization'; readonly org: string; readonly hookId: GitHubId }
  | { readonly type: 'app' }

const hookId = githubIdSchema("the hook's id (the X-GitHub-Hook-ID of its deliveries)")

const repositoryTarget = z.pipe(
  z.strictObject({
    owner: loginSchema('the repository owner, a user or organization login'),
    repo: repositoryNameSchema,
    hookId,
  }),
  z.transform((value): ResolvedTarget => ({ type: 'repository', ...value })),
)

const organizationTarget = z.pipe(
  z.strictObject({ org: loginSchema('the organization login'), hookId }),
  z.transform((value): ResolvedTarget => ({ type: 'organization', ...value })),
)

const appTarget = z.pipe(
  z.strictObject({
    app: z.literal(true, expected("true, for the GitHub App's own webhook")),
  }),
  z.transform((): ResolvedTarget => ({ type: 'app' })),
)

const TARGET_SHAPES =
  'a repository hook {owner, repo, hookId}, an organization hook {org, hookId}, or the GitHub App hook {app: true}'

export const targetSchema = oneOfShapes(TARGET_SHAPES, (value) =>
  'app' in value ? appTarget : 'org' in value ? organizationTarget : repositoryTarget,
)
