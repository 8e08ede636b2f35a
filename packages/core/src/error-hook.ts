import type { NotificationTestError } from './error.js'

/** The application's hook for what a receiver refused or failed at. */
export type ErrorHook<TRequest> = (error: NotificationTestError, req: TRequest) => void

/** Tells the application's error hook; a hook that throws must not change the receiver's answer. */
export function reportTo<TRequest>(
  onError: ErrorHook<TRequest> | undefined,
  error: NotificationTestError,
  req: TRequest,
): void {
  try {
    onError?.(error, req)
  } catch {
    // A failing logger must not change the answer.
  }
}
