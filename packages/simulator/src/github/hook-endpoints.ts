import { sendEmpty } from '../common/http-io.js'
import { subscribedTo } from './hooks.js'
import { pingPayload, pushPayload } from './payloads.js'
import { resolveHook } from './resolve-hook.js'
import type { GitHubHandler } from './simulator-state.js'

/**
 * `POST …/hooks/{id}/pings` (repository and organization): 204 with no body and no delivery id;
 * the `ping` goes out after the configured delay.
 */
export const handlePing: GitHubHandler = (state, request) => {
  request.req.resume()
  const hook = resolveHook(state, request, 'read')
  if (hook === undefined) return
  state.dispatcher.deliver(hook, {
    event: 'ping',
    action: null,
    payload: pingPayload(hook, state.payloadContext()),
    installationId: null,
    repositoryId: hook.target.kind === 'repository' ? hook.targetId : null,
  })
  sendEmpty(request.res, 204)
}

/**
 * `POST /repos/…/hooks/{id}/tests`: 204 either way; a `push` goes out only when the hook is
 * subscribed to `push` (GitHub: "the server will respond with 204 but no test POST will be
 * generated"). There is no organization route, so an org `/tests` is a plain 404.
 */
export const handleTest: GitHubHandler = (state, request) => {
  request.req.resume()
  const hook = resolveHook(state, request, 'read')
  if (hook === undefined) return
  if (subscribedTo(hook, 'push')) {
    state.dispatcher.deliver(hook, {
      event: 'push',
      action: null,
      payload: pushPayload(hook, state.payloadContext()),
      installationId: null,
      repositoryId: hook.targetId,
    })
  }
  sendEmpty(request.res, 204)
}
