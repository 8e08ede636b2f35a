import { isNotificationTestError, type NotificationTestError } from '@notiprobe/core'
import { expect } from 'vitest'

/** The NotificationTestError `make` throws; fails the test if it throws anything else or nothing. */
export function thrown(make: () => unknown): NotificationTestError {
  try {
    make()
  } catch (error) {
    expect(isNotificationTestError(error)).toBe(true)
    return error as NotificationTestError
  }
  throw new Error('expected a NotificationTestError, but nothing was thrown')
}
