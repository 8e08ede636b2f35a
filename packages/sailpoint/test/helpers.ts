import { isNotificationTestError, type NotificationTestError } from '@notiprobe/core'

/** The NotificationTestError `fn` throws; fails the test if it throws anything else or nothing. */
export function thrownBy(fn: () => unknown): NotificationTestError {
  try {
    fn()
  } catch (error) {
    if (isNotificationTestError(error)) return error
    throw error
  }
  throw new Error('expected a NotificationTestError, but nothing was thrown')
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
