import type {
  CallOptions,
  NotificationTester,
  TestOutcome,
  TestState,
  TestTicket,
} from '../src/types.js'

/** A tester whose checks return the scripted states in order (the last repeats). */
export function fakeTester(
  vendor: string,
  states: TestState[],
  options: { pollIntervalMs?: number; sendError?: Error; checkDelayMs?: number } = {},
): NotificationTester & { checks: number; sends: number } {
  const tester = {
    vendor,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    checks: 0,
    sends: 0,
    send(): Promise<TestTicket> {
      tester.sends++
      if (options.sendError) return Promise.reject(options.sendError)
      return Promise.resolve({ vendor, id: `${vendor}-1`, requestedAt: 0 })
    },
    async check(ticket: TestTicket, call?: CallOptions): Promise<TestOutcome> {
      if (options.checkDelayMs !== undefined) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, options.checkDelayMs)
          call?.signal?.addEventListener('abort', () => {
            clearTimeout(timer)
            reject(new Error('check aborted'))
          })
        })
      }
      const state = states[Math.min(tester.checks, states.length - 1)]
      tester.checks++
      return { vendor, ticket, state, summary: state, attempts: [], warnings: [], checkedAt: 0 }
    },
  }
  return tester
}
