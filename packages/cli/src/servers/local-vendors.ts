import type {
  AppleSimulator,
  GitHubSimulator,
  SailPointSimulator,
  ServerTls,
} from '@notiprobe/simulator'
import type { NotificationTestError } from '@notiprobe/core'
import { usageError } from '../errors.js'
import { startRealtimeEndpoint, type RealtimeEndpoint } from './realtime-endpoint.js'
import { startReceiver, type ReceivedNotification, type Receiver } from './receiver.js'

/** The three simulators, and on loopback the app-side endpoints Apple's simulator talks to. */
export interface LocalVendors {
  readonly apple: AppleSimulator
  readonly sailpoint: SailPointSimulator
  readonly github: GitHubSimulator
  /** The verifying notification receiver, unless a notification URL was given. */
  readonly receiver: Receiver | undefined
  /** The Retention Messaging endpoint, unless a realtime URL was given. */
  readonly realtime: RealtimeEndpoint | undefined
  /** Closes everything; safe to call twice. */
  close(): Promise<void>
}

export interface LocalVendorsOptions {
  readonly apple?: {
    readonly port?: number | undefined
    readonly environment?: 'Sandbox' | 'Production' | undefined
    /** Deliver TEST notifications here instead of to a receiver started here. */
    readonly notificationUrl?: string | undefined
    /** Load this endpoint in performance tests instead of one started here. */
    readonly realtimeUrl?: string | undefined
  }
  readonly sailpoint?: { readonly port?: number | undefined }
  readonly github?: { readonly port?: number | undefined }
  /** Serve every simulator over HTTPS with this certificate (`simulate --tls`). */
  readonly tls?: ServerTls | undefined
  readonly now: () => number
  readonly operation: string
  readonly onNotification?: ((received: ReceivedNotification) => void) | undefined
  readonly onRefused?: ((error: NotificationTestError) => void) | undefined
}

/**
 * Starts the Apple and SailPoint simulators and, unless URLs of their own were given, a verifying
 * receiver (the Apple adapter's handler, trusting only the simulator's root) and a realtime
 * endpoint, all on 127.0.0.1 with free ports unless told otherwise. If anything fails to start,
 * what did start is closed before the error is thrown.
 */
export async function startLocalVendors(options: LocalVendorsOptions): Promise<LocalVendors> {
  const { startAppleSimulator, startGitHubSimulator, startSailPointSimulator } =
    await import('@notiprobe/simulator')
  const opened: { close(): Promise<void> }[] = []
  const closeAll = async (): Promise<void> => {
    await Promise.allSettled(opened.reverse().map((item) => item.close()))
  }
  try {
    const a = options.apple ?? {}
    // Every start settles before any failure is thrown, so nothing started is left running.
    const [apple, sailpoint, github] = await allOrNothing([
      startAppleSimulator({
        ...(a.port === undefined ? {} : { port: a.port }),
        environment: a.environment ?? 'Sandbox',
        tls: options.tls,
        ...(a.notificationUrl === undefined ? {} : { notificationUrl: a.notificationUrl }),
        ...(a.realtimeUrl === undefined ? {} : { realtimeUrl: a.realtimeUrl }),
      }).then(
        (s) => (opened.push(s), s),
        (error: unknown) =>
          Promise.reject(portProblem(error, '--apple-port', a.port, options.operation)),
      ),
      startSailPointSimulator({
        ...(options.sailpoint?.port === undefined ? {} : { port: options.sailpoint.port }),
        tls: options.tls,
      }).then(
        (s) => (opened.push(s), s),
        (error: unknown) =>
          Promise.reject(
            portProblem(error, '--sailpoint-port', options.sailpoint?.port, options.operation),
          ),
      ),
      startGitHubSimulator({
        ...(options.github?.port === undefined ? {} : { port: options.github.port }),
        tls: options.tls,
      }).then(
        (s) => (opened.push(s), s),
        (error: unknown) =>
          Promise.reject(
            portProblem(error, '--github-port', options.github?.port, options.operation),
          ),
      ),
    ] as const)
    let receiver: Receiver | undefined
    if (a.notificationUrl === undefined) {
      receiver = await startReceiver({
        host: '127.0.0.1',
        port: 0,
        path: '/notifications',
        settings: {
          bundleId: apple.bundleId,
          environment: apple.environment,
          appAppleId: apple.appAppleId,
          rootCertificates: [apple.rootCertificatePem],
        },
        now: options.now,
        option: 'receiver',
        operation: options.operation,
        onNotification: options.onNotification,
        onRefused: options.onRefused,
      })
      opened.push(receiver)
      apple.setNotificationUrl(receiver.url)
    }
    let realtime: RealtimeEndpoint | undefined
    if (a.realtimeUrl === undefined) {
      realtime = await startRealtimeEndpoint({ operation: options.operation })
      opened.push(realtime)
      apple.setRealtimeUrl(realtime.url)
    }
    let closing: Promise<void> | undefined
    return {
      apple,
      sailpoint,
      github,
      receiver,
      realtime,
      close: () => (closing ??= closeAll()),
    }
  } catch (error) {
    await closeAll()
    throw error
  }
}

/** Like Promise.all, but rejects only once every promise has settled. */
async function allOrNothing<T extends readonly unknown[]>(
  promises: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(promises)
  const failed = settled.find((result) => result.status === 'rejected')
  if (failed !== undefined) throw failed.reason
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>
  }
}

/** A port that is taken or not allowed is the user's choice to fix: say which option. */
function portProblem(
  error: unknown,
  option: string,
  port: number | undefined,
  operation: string,
): Error {
  const code = (error as { code?: unknown } | null)?.code
  if (code !== 'EADDRINUSE' && code !== 'EACCES') {
    return error instanceof Error ? error : new Error(String(error))
  }
  const why = code === 'EADDRINUSE' ? 'is already in use' : 'is not allowed for this user'
  return usageError(
    `${option}: port ${port ?? 0} on 127.0.0.1 ${why}; pick another, or leave it out for any free port.`,
    {
      operation,
      kind: 'config',
    },
  )
}
