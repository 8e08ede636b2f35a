import { NotificationTestError } from '@notiprobe/core'
import { RateLimiter, systemClock, type Clock } from '@notiprobe/core/adapter'

/**
 * A rate limiter to share between the testers of one app, as their `rateLimiter` option: Apple's
 * limits are per app, so testers of the same app in one process must spend one budget. Its keys
 * name the environment, host, bundle id and endpoint, so one limiter may also serve several apps.
 * Testers using it must use the same `clock`.
 */
export function createAppleRateLimiter(options: { readonly clock?: Clock } = {}): RateLimiter {
  const clock = options.clock ?? systemClock
  if (typeof clock.now !== 'function' || typeof clock.sleep !== 'function') {
    throw new NotificationTestError({
      vendor: 'apple',
      operation: 'apple.createAppleRateLimiter',
      kind: 'config',
      message:
        'Invalid Apple rate limiter options: clock: expected a Clock with now() and sleep().',
    })
  }
  return new RateLimiter(clock)
}
