import type { AppleNotificationPayload } from '@notiprobe/apple'
import { type NotificationTestError } from '@notiprobe/core'
import { systemClock } from '@notiprobe/core/adapter'
import type { VerificationSettings } from '../settings/apple.js'
import { startHttpServer, type LocalServer } from './http-server.js'

/** A notification that arrived and verified, with when it arrived. */
export interface ReceivedNotification {
  readonly receivedAt: number
  readonly notification: AppleNotificationPayload
  /** The JWS as it arrived: `listen --json` prints it so `apple verify` can check it again. */
  readonly signedPayload: string
}

export interface Receiver extends LocalServer {
  /** The URL to give Apple (App Store Connect, or the simulator) as the notification URL. */
  readonly url: string
  readonly received: readonly ReceivedNotification[]
  /** Resolves with the first notification (already received or still to come) that matches. */
  waitFor(
    match: (notification: AppleNotificationPayload) => boolean,
    signal?: AbortSignal,
  ): Promise<ReceivedNotification>
}

export interface ReceiverOptions {
  readonly host: string
  readonly port: number
  /** The path notifications are POSTed to; other paths get 404. */
  readonly path: string
  readonly settings: VerificationSettings
  readonly now: () => number
  readonly onNotification?: ((received: ReceivedNotification) => void) | undefined
  /** Requests refused: not a notification, or one that does not verify. */
  readonly onRefused?: ((error: NotificationTestError) => void) | undefined
  /** The option that chose the port, named if it is taken. */
  readonly option: string
  readonly operation: string
}

/**
 * An App Store Server Notifications endpoint on loopback: the Apple adapter's own handler, which
 * verifies each signed payload (chain, signature, app, environment) before answering 200.
 */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const { createNotificationHandler } = await import('@notiprobe/apple')
  const received: ReceivedNotification[] = []
  const waiters = new Set<(entry: ReceivedNotification) => void>()
  const handler = createNotificationHandler({
    ...options.settings,
    // Replays are judged by the command's clock (injected in tests).
    clock: { ...systemClock, now: options.now },
    onNotification: (notification, _req, { signedPayload }) => {
      const entry = { receivedAt: options.now(), notification, signedPayload }
      received.push(entry)
      options.onNotification?.(entry)
      for (const waiter of waiters) waiter(entry)
    },
    onError: (error) => options.onRefused?.(error),
  })
  const path = options.path.startsWith('/') ? options.path : `/${options.path}`
  const server = await startHttpServer(
    (req, res) => {
      const requested = new URL(req.url ?? '/', 'http://localhost').pathname
      if (requested !== path) {
        res.writeHead(404, { 'content-type': 'application/json', connection: 'close' })
        res.end(JSON.stringify({ error: `notifications are received at ${path}` }))
        req.resume()
        return
      }
      void handler(req, res)
    },
    {
      host: options.host,
      port: options.port,
      option: options.option,
      operation: options.operation,
    },
  )
  return {
    ...server,
    url: `${server.origin}${path}`,
    received,
    waitFor(match, signal) {
      const found = received.find((entry) => match(entry.notification))
      if (found !== undefined) return Promise.resolve(found)
      return new Promise<ReceivedNotification>((resolve, reject) => {
        const waiter = (entry: ReceivedNotification): void => {
          if (!match(entry.notification)) return
          cleanup()
          resolve(entry)
        }
        const onAbort = (): void => {
          cleanup()
          reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'))
        }
        const cleanup = (): void => {
          waiters.delete(waiter)
          signal?.removeEventListener('abort', onAbort)
        }
        waiters.add(waiter)
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    },
  }
}
