import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import {
  createAppleTester,
  createNotificationHandler,
  type AppleNotificationHistoryRecord,
  type AppleNotificationPayload,
  type AppleTester,
  type AppleTesterOptions,
} from '@notiprobe/apple'
import type { Clock, NotificationTestError } from '@notiprobe/core'
import {
  startAppleSimulator,
  type AppleSimulator,
  type AppleSimulatorOptions,
} from '@notiprobe/simulator'
import { closeServer, listen } from '../support/servers.js'

/** An HTTP server on 127.0.0.1 standing for the app's notification endpoint. */
export interface Receiver {
  readonly url: string
  /** Requests received, in order. */
  readonly hits: () => number
  close(): Promise<void>
}

export async function startReceiver(
  handle: (req: IncomingMessage, res: ServerResponse) => unknown,
): Promise<Receiver> {
  let hits = 0
  const server: Server = createServer((req, res) => {
    hits++
    void handle(req, res)
  })
  const base = await listen(server)
  return { url: `${base}/apple/notifications`, hits: () => hits, close: () => closeServer(server) }
}

/** A receiver running notiprobe's own handler, trusting the given roots. */
export async function startVerifyingReceiver(
  simulator: AppleSimulator,
  rootCertificates: readonly string[] | undefined,
  /** The clock replays are judged by: the simulator's, when it signs in virtual time. */
  clock?: Clock,
): Promise<
  Receiver & {
    readonly received: AppleNotificationPayload[]
    readonly refused: NotificationTestError[]
  }
> {
  const received: AppleNotificationPayload[] = []
  const refused: NotificationTestError[] = []
  const handler = createNotificationHandler({
    bundleId: simulator.bundleId,
    environment: simulator.environment,
    appAppleId: simulator.appAppleId,
    rootCertificates,
    clock,
    onNotification: (notification) => {
      received.push(notification)
    },
    onError: (error) => refused.push(error),
  })
  const receiver = await startReceiver(handler)
  return { ...receiver, received, refused }
}

/** Options that point a tester at the simulator, with its key and its root. */
export function testerOptions(simulator: AppleSimulator): AppleTesterOptions {
  return {
    issuerId: simulator.credentials.issuerId,
    keyId: simulator.credentials.keyId,
    privateKey: simulator.credentials.privateKeyPem,
    bundleId: simulator.bundleId,
    environment: simulator.environment,
    appAppleId: simulator.appAppleId,
    baseUrl: simulator.baseUrl,
    rootCertificates: [simulator.rootCertificatePem],
  }
}

/** Everything a test started, closed together. */
export class AppleWorld {
  readonly #closers: (() => Promise<void> | void)[] = []

  async simulator(options: AppleSimulatorOptions = {}): Promise<AppleSimulator> {
    const simulator = await startAppleSimulator({ rateLimits: 'off', ...options })
    this.#closers.push(() => simulator.close())
    return simulator
  }

  async receiver(
    handle: (req: IncomingMessage, res: ServerResponse) => unknown,
  ): Promise<Receiver> {
    return this.#track(await startReceiver(handle))
  }

  async verifyingReceiver(
    simulator: AppleSimulator,
    roots: readonly string[] | undefined,
    clock?: Clock,
  ) {
    return this.#track(await startVerifyingReceiver(simulator, roots, clock))
  }

  tester(simulator: AppleSimulator, overrides: Partial<AppleTesterOptions> = {}): AppleTester {
    const tester = createAppleTester({
      ...testerOptions(simulator),
      rateLimits: 'off',
      ...overrides,
    })
    this.#closers.push(() => tester.close())
    return tester
  }

  async close(): Promise<void> {
    for (const close of this.#closers.splice(0).reverse()) await close()
  }

  #track<T extends Receiver>(receiver: T): T {
    this.#closers.push(() => receiver.close())
    return receiver
  }
}

/** The simulator's log entries for one endpoint, as `status` or `dropped`. */
export function answers(
  simulator: AppleSimulator,
  endpoint: string,
): (number | 'dropped' | 'pending')[] {
  return simulator
    .inspect()
    .requests.filter((entry) => entry.endpoint === endpoint)
    .map((entry) => (entry.outcome === 'answered' ? (entry.status ?? 0) : entry.outcome))
}

/** Reads the last minute of notification history to its end. */
export async function readRecentHistory(
  tester: AppleTester,
): Promise<AppleNotificationHistoryRecord[]> {
  const now = Date.now()
  const records: AppleNotificationHistoryRecord[] = []
  for await (const record of tester.notificationHistory({ startDate: now - 60_000, endDate: now }))
    records.push(record)
  return records
}

export { rejectionOf as failure } from '@notiprobe/core/testing'
