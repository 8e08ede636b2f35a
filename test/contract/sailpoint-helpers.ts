import { FakeClock } from '@notiprobe/core/testing'
import type { SailPointTesterOptions } from '@notiprobe/sailpoint'
import type { SailPointSimulator, SailPointTemplate } from '@notiprobe/simulator'

/**
 * One clock for the simulator and the tester: sleeps resolve at once, record the wait and move time
 * forward by it, so a Retry-After wait is really waited out in the simulator's eyes. Deadlines run
 * on real time, which these tests never reach.
 */
export function manualClock(): FakeClock {
  return new FakeClock({ start: Date.UTC(2026, 0, 5, 9, 0, 0), timers: 'real' })
}

/** Tester options for a simulator: its base URL and main client. */
export function simOptions(
  sim: SailPointSimulator,
  extra: Partial<SailPointTesterOptions> = {},
): SailPointTesterOptions {
  return { baseUrl: sim.baseUrl, ...sim.credentials, ...extra }
}

/** Requests the simulator received on one endpoint. */
export function requestsTo(sim: SailPointSimulator, endpoint: string) {
  return sim.inspect().requests.filter((r) => r.endpoint === endpoint)
}

/** The context `cloud_manual_work_item_summary` requires in the simulator's catalogue. */
export const WORK_ITEM = {
  key: 'cloud_manual_work_item_summary',
  medium: 'EMAIL',
  context: {
    numberOfPendingTasks: '4',
    taskTasks: 'tasks',
    ownerId: '201327fda1c44704ac01181e963d463c',
  },
} as const

/** `count` extra templates with one EMAIL variant each, for paging tests. */
export function extraTemplates(count: number): SailPointTemplate[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `zz_extra_${String(i).padStart(4, '0')}`,
    name: `Extra ${i}`,
    description: 'A template added for paging tests.',
    variables: [],
    variants: [{ medium: 'EMAIL' as const, locale: 'en', subject: 'Extra', body: 'Extra' }],
  }))
}

export { rejectionOf, thrownBy } from '@notiprobe/core/testing'
