import {
  startAppleSimulator,
  startGitHubSimulator,
  startSailPointSimulator,
  type AppleSimulator,
  type GitHubSimulator,
  type SailPointSimulator,
} from '@notiprobe/simulator'

export interface EverySimulator {
  readonly apple: AppleSimulator
  readonly sailpoint: SailPointSimulator
  readonly github: GitHubSimulator
  close(): Promise<void>
}

/** One simulator of each vendor, limits off, for tests that hold every adapter to one rule. */
export async function startEverySimulator(): Promise<EverySimulator> {
  const [apple, sailpoint, github] = await Promise.all([
    startAppleSimulator({
      rateLimits: 'off',
      environment: 'Production',
      notificationUrl: 'http://127.0.0.1:9/notifications',
    }),
    startSailPointSimulator({ rateLimits: 'off' }),
    startGitHubSimulator({ rateLimits: 'off' }),
  ])
  return {
    apple,
    sailpoint,
    github,
    close: async () => {
      await Promise.all([apple.close(), sailpoint.close(), github.close()])
    },
  }
}
