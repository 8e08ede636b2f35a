/** Apple's last retry of a notification comes about 6.5 days after the first attempt. */
export const DEFAULT_MAX_NOTIFICATION_AGE_MS = 7 * 86_400_000
/** How far in the future a signing date may be: the sender's clock may be a little ahead. */
export const FUTURE_SKEW_MS = 5 * 60_000
/** Accepted notifications remembered at most; past this the oldest is forgotten first. */
const MAX_REMEMBERED = 100_000

/**
 * Refuses a verified notification that is not new: one signed longer ago than Apple could still
 * be delivering it (`maxAgeMs`), signed in the future, or whose `notificationUUID` this receiver
 * already taken. A notification is claimed as soon as it passes, so two copies arriving together
 * cannot both pass; one whose handling failed is released, so Apple's retry of it is still taken.
 * Memory is per process and bounded.
 */
export class ReplayGuard {
  readonly #maxAgeMs: number
  /** notificationUUID → signedDate, in the order accepted. */
  readonly #accepted = new Map<string, number>()

  constructor(maxAgeMs: number) {
    this.#maxAgeMs = maxAgeMs
  }

  /** Why the notification is refused, or undefined when it is new (and then it is claimed). */
  claim(
    notification: { notificationUUID: string; signedDate: number },
    now: number,
  ): string | undefined {
    this.#forgetOlderThan(now - this.#maxAgeMs)
    const { notificationUUID, signedDate } = notification
    if (signedDate < now - this.#maxAgeMs) {
      return `it was signed at ${new Date(signedDate).toISOString()}, more than ${Math.round(this.#maxAgeMs / 3_600_000)} hours ago: a replay, not a delivery Apple would still make`
    }
    if (signedDate > now + FUTURE_SKEW_MS) {
      return `it is signed at ${new Date(signedDate).toISOString()}, in the future`
    }
    if (this.#accepted.has(notificationUUID)) {
      return 'a notification with this notificationUUID was already received: a replay'
    }
    if (this.#accepted.size >= MAX_REMEMBERED) {
      const oldest = this.#accepted.keys().next().value
      if (oldest !== undefined) this.#accepted.delete(oldest)
    }
    this.#accepted.set(notificationUUID, signedDate)
    return undefined
  }

  /** Forgets a claimed notification whose handling failed, so that a retry of it is taken. */
  release(notificationUUID: string): void {
    this.#accepted.delete(notificationUUID)
  }

  #forgetOlderThan(limit: number): void {
    // Mostly in signing order: stop at the first entry still inside the window.
    for (const [uuid, signedDate] of this.#accepted) {
      if (signedDate >= limit) break
      this.#accepted.delete(uuid)
    }
  }
}
