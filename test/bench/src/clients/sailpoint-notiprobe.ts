import { createSailPointTester } from '@notiprobe/sailpoint'
import type { SailPointTarget } from '../target.js'
import { SAILPOINT_SEND } from '../target.js'
import type { SailPointBenchClient } from './types.js'

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
    // As the Apple client: the simulator's limits are off, and so is the client-side one.
    rateLimits: options.rateLimited === true ? 'vendor' : 'off',
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
