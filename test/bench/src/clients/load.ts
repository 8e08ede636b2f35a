import type { AppleTarget, GitHubTarget, SailPointTarget } from '../target.js'
import type {
  AppleBenchClient,
  ClientKind,
  GitHubBenchClient,
  SailPointBenchClient,
} from './types.js'

const ZOD_FLOOR_ONLY = "the floor validating with zod is measured on GitHub's deliveries page only"

/**
 * Loads only the library under test, so a worker process never has another client's modules in
 * its heap or its import time.
 */
export async function loadAppleClient(
  kind: ClientKind,
): Promise<(target: AppleTarget) => AppleBenchClient> {
  switch (kind) {
    case 'notiprobe':
      return (await import('./apple-notiprobe.js')).createAppleClient
    case 'raw':
      return (await import('./apple-raw.js')).createAppleClient
    case 'floor':
      return (await import('./apple-floor.js')).createAppleClient
    case 'sdk':
      return (await import('./apple-sdk.js')).createAppleClient
    case 'zod-floor':
      throw new Error(ZOD_FLOOR_ONLY)
  }
}

export async function loadSailPointClient(
  kind: ClientKind,
): Promise<(target: SailPointTarget) => SailPointBenchClient> {
  switch (kind) {
    case 'notiprobe':
      return (await import('./sailpoint-notiprobe.js')).createSailPointClient
    case 'raw':
      return (await import('./sailpoint-raw.js')).createSailPointClient
    case 'floor':
      return (await import('./sailpoint-floor.js')).createSailPointClient
    case 'sdk':
      return (await import('./sailpoint-sdk.js')).createSailPointClient
    case 'zod-floor':
      throw new Error(ZOD_FLOOR_ONLY)
  }
}

export async function loadGitHubClient(
  kind: ClientKind,
): Promise<(target: GitHubTarget) => GitHubBenchClient> {
  switch (kind) {
    case 'notiprobe':
      return (await import('./github-notiprobe.js')).createGitHubClient
    case 'raw':
      return (await import('./github-raw.js')).createGitHubClient
    case 'floor':
      return (await import('./github-floor.js')).createGitHubClient
    case 'sdk':
      return (await import('./github-sdk.js')).createGitHubClient
    case 'zod-floor':
      return (await import('./github-zod-floor.js')).createGitHubClient
  }
}
