import {
  isNotificationTestError,
  systemClock,
  type Clock,
  type NotificationTestError,
} from '@notiprobe/core'
import type { SailPointTesterOptions } from '@notiprobe/sailpoint'
import type { SailPointSimulator, SailPointTemplate } from '@notiprobe/simulator'

/** One clock for the simulator and the tester: time moves only when a test or a sleep moves it. */
export interface ManualClock {
  readonly clock: Clock
  /** Every wait the tester asked for, in order: backoff, Retry-After, rate-limit spacing. */
  readonly sleeps: number[]
  now(): number
  advance(ms: number): void
}

/**
 * `sleep` resolves at once and records the wait; with `advanceOnSleep` (the default) it also moves
 * time forward by it, so a Retry-After wait is really waited out in the simulator's eyes. Deadlines
 * (`setTimer`) run on real time, which these tests never reach.
 */
export function manualClock(
  options: { start?: number; advanceOnSleep?: boolean } = {},
): ManualClock {
  let now = options.start ?? Date.UTC(2026, 0, 5, 9, 0, 0)
  const sleeps: number[] = []
  const advanceOnSleep = options.advanceOnSleep ?? true
  return {
    sleeps,
    now: () => now,
    advance: (ms) => {
      now += ms
    },
    clock: {
      now: () => now,
      sleep: (ms, signal) => {
        if (signal?.aborted) return Promise.reject(signal.reason as Error)
        sleeps.push(ms)
        if (advanceOnSleep) now += ms
        return Promise.resolve()
      },
      setTimer: (callback, ms) => systemClock.setTimer(callback, ms),
    },
  }
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

/** The NotificationTestError `promise` rejects with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<NotificationTestError> {
  try {
    await promise
  } catch (error) {
    if (isNotificationTestError(error)) return error
    throw error
  }
  throw new Error('expected a NotificationTestError, but the promise resolved')
}

/** The NotificationTestError `fn` throws. */
export function thrownBy(fn: () => unknown): NotificationTestError {
  try {
    fn()
  } catch (error) {
    if (isNotificationTestError(error)) return error
    throw error
  }
  throw new Error('expected a NotificationTestError, but nothing was thrown')
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
