/**
 * What a bench process needs to reach the simulators, handed from the orchestrator to each child
 * process in one environment variable so that no child starts a simulator of its own.
 */
export interface AppleTarget {
  readonly baseUrl: string
  readonly issuerId: string
  readonly keyId: string
  /** PKCS#8 PEM, the content of an `AuthKey_<keyId>.p8` file. */
  readonly privateKeyPem: string
  readonly bundleId: string
  /** The simulator's own root: the trust anchor for verifying the payloads it signs. */
  readonly rootCertificatePem: string
}

export interface SailPointTarget {
  readonly baseUrl: string
  readonly tokenUrl: string
  readonly clientId: string
  readonly clientSecret: string
}

/** A repository hook on the GitHub simulator and a token with Webhooks write on it. */
export interface GitHubTarget {
  readonly baseUrl: string
  readonly token: string
  readonly owner: string
  readonly repo: string
  readonly hookId: number
}

/** Deliveries each GitHub read returns: one page, Octokit's default page size. */
export const GITHUB_PAGE_SIZE = 30

export interface BenchTarget {
  readonly apple?: AppleTarget
  /** Per-call reads only: an Apple simulator that delivers, where `apple` defers deliveries. */
  readonly appleRead?: AppleTarget
  readonly sailpoint?: SailPointTarget
  /** Pings go here: a simulator that defers the deliveries they cause past the round. */
  readonly github?: GitHubTarget
  /** Deliveries reads: a hook whose log holds one page of seeded deliveries. */
  readonly githubRead?: GitHubTarget
}

export const TARGET_ENV = 'NOTIPROBE_BENCH_TARGET'

/** The template every SailPoint send uses: present in the simulator's default catalogue. */
export const SAILPOINT_SEND = {
  key: 'cloud_manual_work_item_summary',
  medium: 'EMAIL',
  context: { numberOfPendingTasks: '4', taskTasks: 'tasks' },
} as const

export function readTarget(): BenchTarget {
  const raw = process.env[TARGET_ENV]
  if (raw === undefined) throw new Error(`${TARGET_ENV} is not set: run this through pnpm bench`)
  return JSON.parse(raw) as BenchTarget
}

export function appleTarget(target: BenchTarget = readTarget()): AppleTarget {
  if (target.apple === undefined) throw new Error('no Apple simulator in this run')
  return target.apple
}

export function sailPointTarget(target: BenchTarget = readTarget()): SailPointTarget {
  if (target.sailpoint === undefined) throw new Error('no SailPoint simulator in this run')
  return target.sailpoint
}

export function gitHubTarget(target: BenchTarget = readTarget()): GitHubTarget {
  if (target.github === undefined) throw new Error('no GitHub simulator in this run')
  return target.github
}
