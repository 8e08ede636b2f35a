import { NotificationTestError } from './error.js'

/** A copy of `error` with another `retryable`. */
export function withRetryable(
  error: NotificationTestError,
  retryable: boolean,
): NotificationTestError {
  if (error.retryable === retryable) return error
  return new NotificationTestError({ ...error.toJSON(), retryable, cause: error.cause })
}

/** A copy of `error` with another message. */
export function withMessage(error: NotificationTestError, message: string): NotificationTestError {
  return new NotificationTestError({ ...error.toJSON(), message, cause: error.cause })
}
