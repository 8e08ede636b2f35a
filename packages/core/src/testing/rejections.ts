import { isNotificationTestError, type NotificationTestError } from '../error.js'

/**
 * The NotificationTestError `promise` rejects with. Anything else it rejects with is rethrown, and
 * resolving is a failure: a test using it cannot pass by accident.
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<NotificationTestError> {
  try {
    await promise
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
