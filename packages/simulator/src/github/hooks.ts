import { z } from 'zod'
import { IdSequence } from './identifiers.js'

export type HookContentType = 'json' | 'form'

/** Where a hook lives. */
export type HookTarget =
  | { kind: 'repository'; owner: string; repo: string }
  | { kind: 'organization'; org: string }
  | { kind: 'app' }

export interface HookConfig {
  url: string
  contentType: HookContentType
  /** Kept inside the simulator: never in `inspect()` nor in any answer (GitHub masks it). */
  secret: string | undefined
  insecureSsl: '0' | '1'
}

export interface Hook {
  id: number
  target: HookTarget
  /** The repository, organization or App id: `X-GitHub-Hook-Installation-Target-ID`. */
  targetId: number
  events: readonly string[]
  config: HookConfig
  createdAt: number
  updatedAt: number
}

/** What a test gives `createHook`. */
export interface CreateHookOptions {
  /** A repository hook (`{owner, repo}`) or an organization hook (`{org}`). */
  target: { owner: string; repo: string } | { org: string }
  url: string
  /** GitHub's default is `form`. */
  contentType?: HookContentType
  secret?: string
  /** Events the hook is subscribed to; default `['push']`, as GitHub's API. `*` means all. */
  events?: readonly string[]
  insecureSsl?: boolean
}

/** A hook as `createHook` and `inspect()` show it: no secret, only whether there is one. */
export interface GitHubHookInfo {
  id: number
  type: 'Repository' | 'Organization' | 'App'
  target: HookTarget
  targetId: number
  url: string
  contentType: HookContentType
  hasSecret: boolean
  events: string[]
}

const name = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be a GitHub login or repository name')
const hookUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
const createSchema = z.strictObject({
  target: z.union([z.strictObject({ owner: name, repo: name }), z.strictObject({ org: name })]),
  url: hookUrl,
  contentType: z.enum(['json', 'form']).optional(),
  secret: z.string().min(1).max(1024).optional(),
  events: z
    .array(z.string().regex(/^(\*|[a-z_]{1,64})$/))
    .min(1)
    .max(100)
    .optional(),
  insecureSsl: z.boolean().optional(),
})

/** The App hook's config as `PATCH /app/hook/config` and `configureAppHook` take it. */
export const appHookConfigSchema = z.strictObject({
  url: hookUrl.optional(),
  content_type: z.enum(['json', 'form']).optional(),
  secret: z.string().max(1024).optional(),
  insecure_ssl: z.union([z.enum(['0', '1']), z.number().int().min(0).max(1)]).optional(),
})
export type AppHookConfigUpdate = z.infer<typeof appHookConfigSchema>

/** GitHub logins and repository names are case-insensitive. */
const key = (...parts: string[]): string => parts.join('/').toLowerCase()

/**
 * The hooks, and the repositories and organizations they live on (created on first use, each with
 * a stable numeric id). The App's own hook always exists; it has no URL until configured.
 */
export class HookRegistry {
  readonly #hooks = new Map<number, Hook>()
  readonly #repositories = new Map<string, number>()
  readonly #organizations = new Map<string, number>()
  readonly #hookIds = new IdSequence(480_000_001)
  readonly #repoIds = new IdSequence(700_000_001)
  readonly #orgIds = new IdSequence(90_000_001)
  readonly appHook: Hook

  constructor(
    readonly appId: number,
    readonly now: () => number,
  ) {
    const at = now()
    this.appHook = {
      id: this.#hookIds.take(),
      target: { kind: 'app' },
      targetId: appId,
      events: ['*'],
      config: { url: '', contentType: 'form', secret: undefined, insecureSsl: '0' },
      createdAt: at,
      updatedAt: at,
    }
  }

  create(options: CreateHookOptions): Hook {
    const parsed = createSchema.safeParse(options)
    if (!parsed.success) throw new TypeError(`invalid hook: ${z.prettifyError(parsed.error)}`)
    const o = parsed.data
    const [target, targetId]: [HookTarget, number] =
      'org' in o.target
        ? [{ kind: 'organization', org: o.target.org }, this.organizationId(o.target.org)]
        : [
            { kind: 'repository', owner: o.target.owner, repo: o.target.repo },
            this.repositoryId(o.target.owner, o.target.repo),
          ]
    const at = this.now()
    const hook: Hook = {
      id: this.#hookIds.take(),
      target,
      targetId,
      events: o.events ?? ['push'],
      config: {
        url: o.url,
        contentType: o.contentType ?? 'form',
        secret: o.secret,
        insecureSsl: o.insecureSsl === true ? '1' : '0',
      },
      createdAt: at,
      updatedAt: at,
    }
    this.#hooks.set(hook.id, hook)
    return hook
  }

  /** Applies a PATCH of the App hook's config (already validated). */
  updateAppHook(update: AppHookConfigUpdate): Hook {
    const { config } = this.appHook
    if (update.url !== undefined) config.url = update.url
    if (update.content_type !== undefined) config.contentType = update.content_type
    // An empty secret removes it, as clearing the field in GitHub's settings does.
    if (update.secret !== undefined)
      config.secret = update.secret === '' ? undefined : update.secret
    if (update.insecure_ssl !== undefined)
      config.insecureSsl = String(update.insecure_ssl) as '0' | '1'
    this.appHook.updatedAt = this.now()
    return this.appHook
  }

  /** The repository hook `hookId` of `owner/repo`, if it is there. */
  repositoryHook(owner: string, repo: string, hookId: number): Hook | undefined {
    const hook = this.#hooks.get(hookId)
    if (hook?.target.kind !== 'repository') return undefined
    return key(hook.target.owner, hook.target.repo) === key(owner, repo) ? hook : undefined
  }

  organizationHook(org: string, hookId: number): Hook | undefined {
    const hook = this.#hooks.get(hookId)
    if (hook?.target.kind !== 'organization') return undefined
    return key(hook.target.org) === key(org) ? hook : undefined
  }

  get(hookId: number): Hook | undefined {
    return hookId === this.appHook.id ? this.appHook : this.#hooks.get(hookId)
  }

  repositoryId(owner: string, repo: string): number {
    const k = key(owner, repo)
    let id = this.#repositories.get(k)
    if (id === undefined) this.#repositories.set(k, (id = this.#repoIds.take()))
    return id
  }

  organizationId(org: string): number {
    const k = key(org)
    let id = this.#organizations.get(k)
    if (id === undefined) this.#organizations.set(k, (id = this.#orgIds.take()))
    return id
  }

  list(): Hook[] {
    return [this.appHook, ...this.#hooks.values()]
  }
}

export function hookInfo(hook: Hook): GitHubHookInfo {
  return {
    id: hook.id,
    type: hookType(hook),
    target: { ...hook.target },
    targetId: hook.targetId,
    url: hook.config.url,
    contentType: hook.config.contentType,
    hasSecret: hook.config.secret !== undefined,
    events: [...hook.events],
  }
}

export function hookType(hook: Hook): 'Repository' | 'Organization' | 'App' {
  return hook.target.kind === 'repository'
    ? 'Repository'
    : hook.target.kind === 'organization'
      ? 'Organization'
      : 'App'
}

/** `X-GitHub-Hook-Installation-Target-Type`: `repository`, `organization` or `integration`. */
export function installationTargetType(hook: Hook): string {
  return hook.target.kind === 'app' ? 'integration' : hook.target.kind
}

export function subscribedTo(hook: Hook, event: string): boolean {
  return hook.events.includes('*') || hook.events.includes(event)
}

/** `scopeOwner/scopeName` for case-insensitive visibility checks. */
export const visibilityKey = key
