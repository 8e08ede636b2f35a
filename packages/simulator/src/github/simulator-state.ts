import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AppIdentity } from './app-jwt.js'
import type { Principal } from './authenticate.js'
import type { DeliveriesLog } from './deliveries-log.js'
import type { HookDispatcher } from './hook-dispatcher.js'
import type { HookRegistry } from './hooks.js'
import type { ResolvedGitHubOptions } from './options.js'
import type { PayloadContext } from './payloads.js'
import type { PrimaryRateLimit } from './rate-limits.js'
import type { GitHubApiVersion } from './request-headers.js'
import type { GitHubRoute } from './routes.js'
import type { TokenStore } from './tokens.js'

/** What every endpoint handler shares. */
export interface GitHubSimulatorState {
  options: ResolvedGitHubOptions
  hooks: HookRegistry
  log: DeliveriesLog
  dispatcher: HookDispatcher
  tokens: TokenStore
  app: AppIdentity
  primary: PrimaryRateLimit
  /** `http://127.0.0.1:<port>` plus the path prefix, once listening. */
  apiBase: string
  payloadContext(): PayloadContext
}

/** One authenticated request on its way to a handler. */
export interface GitHubRequest {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  route: GitHubRoute
  principal: Principal
  apiVersion: GitHubApiVersion
  rateLimitKey: string
}

export type GitHubHandler = (
  state: GitHubSimulatorState,
  request: GitHubRequest,
) => void | Promise<void>
