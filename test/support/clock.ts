import { systemClock, type Clock } from '@notiprobe/core/adapter'

/**
 * Real time, but every wait the client asks for (backoff, `Retry-After`, polling) lasts
 * `1 / factor` as long, so a soak honours each vendor's one-second `Retry-After` without spending
 * seconds on it. Deadlines (`setTimer`) stay real. `requested` keeps every wait as asked for.
 */
export function acceleratedClock(factor: number): Clock & { readonly requested: number[] } {
  const requested: number[] = []
  return {
    requested,
    now: () => Date.now(),
    sleep: (ms, signal) => {
      requested.push(ms)
      return systemClock.sleep(Math.floor(ms / factor), signal)
    },
    setTimer: (callback, ms) => systemClock.setTimer(callback, ms),
  }
}
