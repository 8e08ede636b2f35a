import { isNotificationTestError, type NotificationTestError } from '../error.js'

/**
 * The NotificationTestError `attempt` rejects with (a promise, or a function that throws or returns
 * one). Anything else it fails with is rethrown, and succeeding is a failure: a test using it
 * cannot pass by accident.
 */
export async function rejectionOf(
  attempt: Promise<unknown> | (() => unknown),
): Promise<NotificationTestError> {
  try {
    await (typeof attempt === 'function' ? attempt() : attempt)
  } catch (error) {
    if (isNotificationTestError(error)) return error
    throw error
  }
  throw new Error('expected a NotificationTestError, but the promise resolved')
}

/** The NotificationTestError `fn` throws; fails if it throws anything else or nothing. */
export function thrownBy(fn: () => unknown): NotificationTestError {
  try {
    fn()
  } catch (error) {
    if (isNotificationTestError(error)) return error
    throw error
  }
  throw new Error('expected a NotificationTestError, but nothing was thrown')
}
