import { createServer, type Server } from 'node:http'
import {
  createGitHubTester,
  createWebhookHandler,
  type GitHubTester,
  type GitHubTesterOptions,
  type GitHubWebhookEvent,
} from '@notiprobe/github'
import type { GitHubSimulator } from '@notiprobe/simulator'
import { FakeClock } from '@notiprobe/core/testing'
import { closeServer, listen } from '../support/servers.js'

export const SECRET = 'contract-hook-secret-3f9a'

/**
 * One clock for the simulator and the tester: the simulator's `Date` header and its deliveries are
 * stamped on it. Sleeps resolve at once and move time forward, so a Retry-After or reset wait is
 * really waited out in the simulator's eyes.
 */
export function sharedClock(): FakeClock {
  return new FakeClock({ start: Date.now(), timers: 'real' })
}

/** notiprobe's own receiver, verifying signatures, recording each verified delivery. */
export interface Receiver {
  readonly url: string
  readonly events: GitHubWebhookEvent[]
  readonly refused: number
  close(): Promise<void>
}

export async function startReceiver(secret = SECRET): Promise<Receiver> {
  const events: GitHubWebhookEvent[] = []
  let refused = 0
  const handler = createWebhookHandler({
    secret,
    onEvent: (event) => {
      events.push(event)
    },
    onError: () => {
      refused++
    },
  })
  const server: Server = createServer((req, res) => void handler(req, res))
  const url = await listen(server)
  return {
    url: `${url}/hook`,
    events,
    get refused() {
      return refused
    },
    close: () => closeServer(server),
  }
}

/** A repository hook on the simulator and a tester for it with the simulator's token. */
export function repoTester(
  sim: GitHubSimulator,
  hookId: number,
  extra: Partial<GitHubTesterOptions> = {},
): GitHubTester {
  return createGitHubTester({
    baseUrl: sim.baseUrl,
    target: { owner: 'octo', repo: 'hello', hookId },
    auth: { token: sim.credentials.token },
    rateLimits: 'off',
    ...extra,
  })
}

/** Requests the simulator received on one endpoint. */
export function requestsTo(sim: GitHubSimulator, endpoint: string) {
  return sim.inspect().requests.filter((r) => r.endpoint === endpoint)
}
