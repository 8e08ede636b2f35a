import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  startAppleSimulator,
  startGitHubSimulator,
  startSailPointSimulator,
  type AppleSimulator,
  type AppleSimulatorOptions,
  type GitHubSimulator,
  type GitHubSimulatorOptions,
  type SailPointSimulator,
  type SailPointSimulatorOptions,
} from '@notiprobe/simulator'
import type { AppleTarget, GitHubTarget, SailPointTarget } from './target.js'

/** The app's notification endpoint: answers 200 to whatever Apple (the simulator) POSTs. */
export interface Receiver {
  readonly url: string
  /** Epoch milliseconds at which each notification body had fully arrived. */
  readonly receivedAt: number[]
  close(): Promise<void>
}

export async function startReceiver(): Promise<Receiver> {
  const receivedAt: number[] = []
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      receivedAt.push(performance.timeOrigin + performance.now())
      res.writeHead(200, { 'content-length': '0' }).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${String(port)}/apple/notifications`,
    receivedAt,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

export async function startApple(
  receiver: Receiver,
  options: AppleSimulatorOptions = {},
): Promise<{ simulator: AppleSimulator; target: AppleTarget }> {
  const simulator = await startAppleSimulator({
    rateLimits: 'off',
    notificationUrl: receiver.url,
    ...options,
  })
  const { credentials } = simulator
  return {
    simulator,
    target: {
      baseUrl: simulator.baseUrl,
      issuerId: credentials.issuerId,
      keyId: credentials.keyId,
      privateKeyPem: credentials.privateKeyPem,
      bundleId: credentials.bundleId,
      rootCertificatePem: simulator.rootCertificatePem,
    },
  }
}

export async function startSailPoint(
  options: SailPointSimulatorOptions = {},
): Promise<{ simulator: SailPointSimulator; target: SailPointTarget }> {
  const simulator = await startSailPointSimulator({ rateLimits: 'off', ...options })
  return {
    simulator,
    target: {
      baseUrl: simulator.baseUrl,
      tokenUrl: simulator.tokenUrl,
      clientId: simulator.credentials.clientId,
      clientSecret: simulator.credentials.clientSecret,
    },
  }
}

/**
 * A GitHub simulator with one repository hook pointing at the receiver, its log seeded with
 * `seeded` deliveries (none by default), and the simulator's token (Webhooks write).
 */
export async function startGitHub(
  receiver: Receiver,
  options: GitHubSimulatorOptions & { readonly seeded?: number } = {},
): Promise<{ simulator: GitHubSimulator; target: GitHubTarget }> {
  const { seeded, ...simulatorOptions } = options
  const simulator = await startGitHubSimulator({ rateLimits: 'off', ...simulatorOptions })
  const owner = 'octo-org'
  const repo = 'bench'
  const hook = simulator.createHook({
    target: { owner, repo },
    url: receiver.url,
    contentType: 'json',
  })
  if (seeded !== undefined && seeded > 0) simulator.seedDeliveries(hook.id, { count: seeded })
  return {
    simulator,
    target: {
      baseUrl: simulator.baseUrl,
      token: simulator.credentials.token,
      owner,
      repo,
      hookId: hook.id,
    },
  }
}
