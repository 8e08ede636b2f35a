/** Apple's last retry of a notification comes about 6.5 days after the first attempt. */
export const DEFAULT_MAX_NOTIFICATION_AGE_MS = 7 * 86_400_000
/** How far in the future a signing date may be: the sender's clock may be a little ahead. */
export const FUTURE_SKEW_MS = 5 * 60_000
/** Accepted notifications remembered at most; past this the oldest is forgotten first. */
const MAX_REMEMBERED = 100_000

/** What a receiver does with a verified notification. */
export type ReplayVerdict =
  /** New: claimed; call `settle` or `release` once handled. */
  | { readonly verdict: 'new' }
  /** A copy of one already handled: acknowledge it (Apple resends what it saw no 2xx for). */
  | { readonly verdict: 'handled' }
  /** A copy of one still being handled: ask Apple to come back. */
  | { readonly verdict: 'in_flight' }
  /** Signed too long ago or in the future: a replay, not a delivery Apple would make. */
  | { readonly verdict: 'refused'; readonly reason: string }

interface Claim {
  readonly signedDate: number
  handled: boolean
}

/**
 * Tells new notifications from copies and replays: one signed longer ago than Apple could still
 * be delivering it (`maxAgeMs`), or in the future, is refused; a `notificationUUID` already taken
 * is a copy (Apple resends whatever it saw no 2xx for, with the same notificationUUID). A
 * notification is claimed as soon as it passes, so two copies arriving together cannot both be
 * handed over; one whose handling failed is released, so Apple's retry of it is still taken.
 * Memory is per process and bounded.
 */
export class ReplayGuard {
  readonly #maxAgeMs: number
  /** notificationUUID → its claim, in the order accepted. */
  readonly #accepted = new Map<string, Claim>()

  constructor(maxAgeMs: number) {
    this.#maxAgeMs = maxAgeMs
  }

  claim(
    notification: { notificationUUID: string; signedDate: number },
    now: number,
  ): ReplayVerdict {
    this.#forgetOlderThan(now - this.#maxAgeMs)
    const { notificationUUID, signedDate } = notification
    if (signedDate < now - this.#maxAgeMs) {
      return {
        verdict: 'refused',
        reason: `it was signed at ${new Date(signedDate).toISOString()}, more than ${Math.round(this.#maxAgeMs / 3_600_000)} hours ago: a replay, not a delivery Apple would still make`,
      }
    }
    if (signedDate > now + FUTURE_SKEW_MS) {
      return {
        verdict: 'refused',
        reason: `it is signed at ${new Date(signedDate).toISOString()}, in the future`,
      }
    }
    const claimed = this.#accepted.get(notificationUUID)
    if (claimed !== undefined) return { verdict: claimed.handled ? 'handled' : 'in_flight' }
    if (this.#accepted.size >= MAX_REMEMBERED) {
      const oldest = this.#accepted.keys().next().value
      if (oldest !== undefined) this.#accepted.delete(oldest)
    }
    this.#accepted.set(notificationUUID, { signedDate, handled: false })
    return { verdict: 'new' }
  }

  /** Marks a claimed notification as handled: later copies are acknowledged. */
  settle(notificationUUID: string): void {
    const claimed = this.#accepted.get(notificationUUID)
    if (claimed !== undefined) claimed.handled = true
  }

  /** Forgets a claimed notification whose handling failed, so that a retry of it is taken. */
  release(notificationUUID: string): void {
    this.#accepted.delete(notificationUUID)
  }

  #forgetOlderThan(limit: number): void {
    // Mostly in signing order: stop at the first entry still inside the window.
    for (const [uuid, claimed] of this.#accepted) {
      if (claimed.signedDate >= limit) break
      this.#accepted.delete(uuid)
    }
  }
}
