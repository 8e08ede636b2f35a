import type { AdapterEvent } from '@notiprobe/core'
import { formatDuration } from '../duration.js'

const VENDOR_NAMES: Readonly<Record<string, string>> = {
  apple: 'Apple',
  sailpoint: 'SailPoint',
  github: 'GitHub',
}

/** Waits for our own rate-limit budget shorter than this pass without a line: polls pace this way. */
const QUIET_BUDGET_WAIT_MS = 1000

/** A clock time as a log reads it, `12:03:41`, in the machine's time zone. */
export function clockTime(ms: number): string {
  const date = new Date(ms)
  if (Number.isNaN(date.getTime())) return `${ms} ms`
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':')
}

/**
 * What a person reads when an adapter waits: `Apple asked to wait 7.5 s (rate limit); retrying at
 * 12:03:41`. Undefined for an event not worth a line: a short pause of our own budget, or a
 * direct connection (the progress line already says what is under way).
 */
export function announcement(event: AdapterEvent): string | undefined {
  const vendor = VENDOR_NAMES[event.vendor] ?? event.vendor
  switch (event.type) {
    case 'connecting':
      if (event.proxy === undefined) return undefined
      return `Connecting to ${vendor} (${event.host}) through the proxy ${event.proxy.display} (from ${event.proxy.source})`
    case 'rate-limit-wait': {
      const sending = `sending at ${clockTime(event.until)}`
      if (event.source === 'vendor')
        return `${vendor} asked to wait ${formatDuration(event.delayMs)} (rate limit); ${sending}`
      if (event.delayMs < QUIET_BUDGET_WAIT_MS) return undefined
      return `Waiting ${formatDuration(event.delayMs)} to stay within ${vendor}'s rate limit; ${sending}`
    }
    case 'retry': {
      const next = `attempt ${event.attempt + 1} of ${event.maxAttempts}`
      if (event.retryAfterMs !== undefined) {
        const why =
          event.reason.httpStatus === 429 ? 'rate limit' : `HTTP ${event.reason.httpStatus ?? '?'}`
        return `${vendor} asked to wait ${formatDuration(event.retryAfterMs)} (${why}); retrying at ${clockTime(event.retryAt)} (${next})`
      }
      const { httpStatus, code, kind } = event.reason
      const what =
        httpStatus !== undefined
          ? `${vendor} answered HTTP ${httpStatus}`
          : kind === 'timeout'
            ? `${vendor} did not answer in time (${code ?? 'timeout'})`
            : `Could not reach ${vendor} (${code ?? kind})`
      return `${what}; retrying at ${clockTime(event.retryAt)}, in ${formatDuration(event.delayMs)} (${next})`
    }
  }
}
