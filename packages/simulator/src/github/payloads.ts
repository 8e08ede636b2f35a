import { createHash } from 'node:crypto'
import { hookType, type Hook } from './hooks.js'
import { isoSeconds } from './identifiers.js'

/** What the payload builders need to know about the simulator. */
export interface PayloadContext {
  /** The REST base (`http://127.0.0.1:<port>` plus any path prefix): hook URLs point there. */
  apiBase: string
  appId: number
  now: number
  repositoryId: (owner: string, repo: string) => number
  organizationId: (org: string) => number
}

const SENDER = { login: 'notiprobe-sim-user', id: 583_231, type: 'User', site_admin: false }

/** Said in every ping (GitHub sends one of its own aphorisms as `zen`; these are ours). */
const ZEN = [
  'A ping proves the path, not the receiver.',
  'Evidence beats assumptions.',
  'Send once, check twice.',
]

/**
 * The `ping` payload: `zen`, `hook_id`, `hook`, then `repository` or `organization`, and `sender`.
 * `hook.config.secret` is masked as GitHub masks it; `test_url` exists only on repository hooks;
 * an App hook carries `app_id`.
 */
export function pingPayload(hook: Hook, ctx: PayloadContext): Record<string, unknown> {
  const hookUrl = hookApiUrl(hook, ctx.apiBase)
  const config: Record<string, string> = {
    content_type: hook.config.contentType,
    insecure_ssl: hook.config.insecureSsl,
    url: hook.config.url,
  }
  if (hook.config.secret !== undefined) config.secret = '********'
  const described: Record<string, unknown> = {
    type: hookType(hook),
    id: hook.id,
    name: 'web',
    active: true,
    events: [...hook.events],
    config,
    updated_at: isoSeconds(hook.updatedAt),
    created_at: isoSeconds(hook.createdAt),
  }
  if (hook.target.kind === 'app') described.app_id = ctx.appId
  else {
    described.url = hookUrl
    if (hook.target.kind === 'repository') described.test_url = `${hookUrl}/tests`
    described.ping_url = `${hookUrl}/pings`
    described.deliveries_url = `${hookUrl}/deliveries`
  }
  described.last_response = { code: null, status: 'unused', message: null }
  const zen = ZEN[hook.id % ZEN.length] ?? ZEN[0]
  return { zen, hook_id: hook.id, hook: described, ...owning(hook, ctx), sender: SENDER }
}

/**
 * The push test: GitHub replays "the latest push"; the simulator has no git history, so it makes
 * one stable commit per repository (same SHAs every time for the same repository).
 */
export function pushPayload(hook: Hook, ctx: PayloadContext): Record<string, unknown> {
  if (hook.target.kind !== 'repository')
    throw new Error('push tests exist for repository hooks only')
  const { owner, repo } = hook.target
  const sha = (seed: string): string =>
    createHash('sha1').update(`${owner}/${repo}:${seed}`).digest('hex')
  const after = sha('after')
  const before = sha('before')
  const author = { name: 'Sim User', email: 'sim-user@example.invalid', username: SENDER.login }
  const commit = {
    id: after,
    tree_id: sha('tree'),
    distinct: true,
    message: 'Latest push, as replayed by the notiprobe simulator',
    timestamp: isoSeconds(ctx.now),
    url: `https://github.invalid/${owner}/${repo}/commit/${after}`,
    author,
    committer: author,
    added: [],
    removed: [],
    modified: ['README.md'],
  }
  return {
    ref: 'refs/heads/main',
    before,
    after,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.invalid/${owner}/${repo}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits: [commit],
    head_commit: commit,
    pusher: { name: SENDER.login, email: author.email },
    ...owning(hook, ctx),
    sender: SENDER,
  }
}

/** The hook's REST URL, as `hook.url` in payloads gives it. */
export function hookApiUrl(hook: Hook, apiBase: string): string {
  if (hook.target.kind === 'repository') {
    return `${apiBase}/repos/${hook.target.owner}/${hook.target.repo}/hooks/${String(hook.id)}`
  }
  if (hook.target.kind === 'organization') {
    return `${apiBase}/orgs/${hook.target.org}/hooks/${String(hook.id)}`
  }
  return `${apiBase}/app/hook`
}

function owning(hook: Hook, ctx: PayloadContext): Record<string, unknown> {
  if (hook.target.kind === 'repository') {
    const { owner, repo } = hook.target
    return {
      repository: {
        id: ctx.repositoryId(owner, repo),
        name: repo,
        full_name: `${owner}/${repo}`,
        private: true,
        owner: { login: owner, type: 'Organization' },
        url: `${ctx.apiBase}/repos/${owner}/${repo}`,
      },
    }
  }
  if (hook.target.kind === 'organization') {
    const { org } = hook.target
    return {
      organization: { login: org, id: ctx.organizationId(org), url: `${ctx.apiBase}/orgs/${org}` },
    }
  }
  return {}
}
