import { systemClock, type Clock } from '@notiprobe/core'
import { createSailPointTester } from '@notiprobe/sailpoint'
import type { SailPointTarget } from '../target.js'
import { SAILPOINT_SEND } from '../target.js'
import type { SailPointBenchClient } from './types.js'

/**
 * A clock on which rate-limit waits take no real time: `sleep(ms)` moves this clock's `now()`
 * forward by `ms` and resolves at once. `createSailPointTester` has no way to turn its client-side
 * rate limit off (`rateLimit.perSecond` is capped at 10, so 2,000 calls would take minutes), so the
 * limiter still reserves a slot on every call and asks for its wait; the wait just passes at once.
 * Deadlines keep their real timers. With the simulator's limits off nothing is retried, so no
 * backoff is skipped.
 */
function unthrottledClock(): Clock {
  let skippedMs = 0
  return {
    now: () => systemClock.now() + skippedMs,
    sleep: (ms, signal) => {
      if (signal?.aborted === true) return Promise.reject(signal.reason as Error)
      skippedMs += Math.max(0, ms)
      return Promise.resolve()
    },
    setTimer: (callback, ms) => systemClock.setTimer(callback, ms),
  }
}

export interface SailPointClientOptions {
  /** Keep the client-side limit (long runs); default false, as in every per-call workload. */
  readonly rateLimited?: boolean
}

/** notiprobe's SailPoint adapter on the beta path, as the SDK and the raw baseline use. */
export function createSailPointClient(
  target: SailPointTarget,
  options: SailPointClientOptions = {},
): SailPointBenchClient {
  const tester = createSailPointTester({
    baseUrl: target.baseUrl,
    tokenUrl: target.tokenUrl,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    apiVersion: 'beta',
    ...(options.rateLimited === true ? {} : { clock: unthrottledClock() }),
  })
  return {
    async send() {
      await tester.send({
        key: SAILPOINT_SEND.key,
        medium: SAILPOINT_SEND.medium,
        context: SAILPOINT_SEND.context,
      })
    },
    close() {
      tester.close()
    },
  }
}
