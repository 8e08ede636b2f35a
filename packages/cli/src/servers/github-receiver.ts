import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { NotificationTestError } from '@notiprobe/core'
import type { GitHubWebhookEvent } from '@notiprobe/github'
import type { GitHubSimulator } from '@notiprobe/simulator'

/** The repository whose hook the demo and `simulate` set up on the GitHub simulator. */
export const GITHUB_REPOSITORY = { owner: 'notiprobe', repo: 'demo' } as const

export interface GitHubReceiver {
  readonly url: string
  readonly hookId: number
  /** The hook's secret, generated for this run. */
  readonly secret: string
  /** The first verified delivery, waited for up to `timeoutMs`. */
  received(signal: AbortSignal, timeoutMs: number): Promise<GitHubWebhookEvent>
  close(): Promise<void>
}

/**
 * A receiver built on @notiprobe/github's createWebhookHandler with a fresh secret, and a hook on
 * the GitHub simulator (GitHub's default form content type) delivering to it.
 */
export async function startGitHubReceiver(
  sim: GitHubSimulator,
  operation: string,
  onEvent?: (event: GitHubWebhookEvent) => void,
): Promise<GitHubReceiver> {
  const { createWebhookHandler } = await import('@notiprobe/github')
  const secret = randomBytes(24).toString('hex')
  const arrivals: GitHubWebhookEvent[] = []
  let notify: (() => void) | undefined
  const handler = createWebhookHandler({
    secret,
    onEvent: (event) => {
      arrivals.push(event)
      onEvent?.(event)
      notify?.()
    },
  })
  const server = createServer((req, res) => void handler(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const url = `http://127.0.0.1:${port}/github`
  const hook = sim.createHook({ target: GITHUB_REPOSITORY, url, secret, events: ['push'] })
  const noArrival = (): NotificationTestError =>
    new NotificationTestError({
      vendor: 'github',
      operation,
      kind: 'timeout',
      message: 'No signed GitHub delivery arrived at the receiver in time.',
    })
  return {
    url,
    hookId: hook.id,
    secret,
    received: async (signal, timeoutMs) => {
      if (arrivals.length === 0) {
        await new Promise<void>((resolve, reject) => {
          const done = (error?: Error): void => {
            clearTimeout(timer)
            signal.removeEventListener('abort', onAbort)
            notify = undefined
            if (error === undefined) resolve()
            else reject(error)
          }
          const onAbort = (): void => done(new Error('aborted'))
          const timer = setTimeout(() => done(noArrival()), timeoutMs)
          notify = () => done()
          signal.addEventListener('abort', onAbort, { once: true })
        })
      }
      const first = arrivals[0]
      if (first === undefined) throw noArrival()
      return first
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
