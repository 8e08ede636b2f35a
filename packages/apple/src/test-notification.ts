import {
  isNotificationTestError,
  type NotificationTestError,
  type SendAttempt,
  type TestOutcome,
  type TestTicket,
} from '@notiprobe/core'
import type { AppleEnvironment } from './environment.js'
import type { AppleNotificationPayload } from './notification-payload.js'
import type { AppleTestNotificationStatus } from './responses.js'
import { describeSendAttemptResult } from './send-attempt-results.js'
import { quoteUntrusted } from './untrusted-text.js'
import type { SignedPayloadVerifier } from './verify-signed-payload.js'

/** What `send()` returns: Apple's test notification token, and where the request went. */
export interface AppleTestTicket extends TestTicket {
  readonly vendor: 'apple'
  /** Apple's `testNotificationToken`. */
  readonly id: string
  readonly details: {
    readonly environment: AppleEnvironment
    readonly bundleId: string
  }
}

/** What Apple knows about a test notification; `delivered` only with a verified signed payload. */
export interface AppleTestOutcome extends TestOutcome<AppleNotificationPayload> {
  readonly vendor: 'apple'
  /** Why a payload Apple reported as delivered was not accepted as evidence. */
  readonly verificationError?: NotificationTestError | undefined
}

/** The first attempt and Apple's five retries. */
const MAX_PRODUCTION_ATTEMPTS = 6
/** Clock skew allowed between Apple's signing date and this machine's request time. */
export const SIGNED_BEFORE_REQUEST_SKEW_MS = 5 * 60_000

/**
 * Which test each TEST notification (by notificationUUID) confirmed: one payload is evidence for
 * one ticket only. Bounded: the oldest claims are forgotten first.
 */
export class EvidenceClaims {
  readonly #owners = new Map<string, string>()

  /** The other ticket id that already used this notification as evidence, if any; else claims it. */
  claim(notificationUUID: string, ticketId: string): string | undefined {
    const owner = this.#owners.get(notificationUUID)
    if (owner !== undefined && owner !== ticketId) return owner
    if (owner === undefined) {
      if (this.#owners.size >= 10_000) this.#owners.delete(this.#owners.keys().next().value ?? '')
      this.#owners.set(notificationUUID, ticketId)
    }
    return undefined
  }
}

export interface OutcomeContext {
  readonly ticket: TestTicket
  readonly environment: AppleEnvironment
  readonly bundleId: string
  readonly verifier: SignedPayloadVerifier
  readonly checkedAt: number
  readonly pollIntervalMs: number
  readonly claims: EvidenceClaims
}

/** The outcome while Apple answers 4040008: nothing recorded yet. */
export function pendingOutcome(
  context: OutcomeContext,
  answer: NotificationTestError,
): AppleTestOutcome {
  return {
    vendor: 'apple',
    ticket: context.ticket,
    state: 'pending',
    summary: `Apple has not recorded a delivery attempt yet (error ${String(answer.vendorCode)}); checking again in ${Math.ceil(context.pollIntervalMs / 1000)} s keeps within its rate limit.`,
    attempts: [],
    warnings: [],
    raw: { errorCode: answer.vendorCode, errorMessage: answer.vendorMessage },
    checkedAt: context.checkedAt,
  }
}

/**
 * Reads Apple's status: `delivered` when an attempt says SUCCESS and the signed payload verifies as
 * a TEST notification for this app and environment, signed no earlier than the request it answers
 * (less a few minutes of clock skew) and not already the evidence of another test; `failed` when
 * every attempt failed or the payload is not that evidence; `pending` while Apple lists no
 * attempt. Every attempt is kept.
 */
export async function outcomeFromStatus(
  status: AppleTestNotificationStatus,
  context: OutcomeContext,
): Promise<AppleTestOutcome> {
  const attempts = sendAttempts(status, context.ticket)
  const base = {
    vendor: 'apple' as const,
    ticket: context.ticket,
    attempts,
    warnings: [],
    raw: status,
    checkedAt: context.checkedAt,
  }
  if (attempts.length === 0) {
    return {
      ...base,
      state: 'pending',
      summary: 'Apple returned the test notification but lists no delivery attempt yet.',
    }
  }
  const tried = listAttempts(attempts)
  const success = attempts.find((attempt) => attempt.succeeded)
  if (success === undefined) {
    // Production retries a failed notification up to 5 times, 1 to 72 hours apart; Sandbox never.
    const later =
      context.environment === 'Production' && attempts.length < MAX_PRODUCTION_ATTEMPTS
        ? ` Apple tries again in Production (up to ${MAX_PRODUCTION_ATTEMPTS} attempts, 1 to 72 hours apart): checking this ticket later shows them.`
        : ''
    return {
      ...base,
      state: 'failed',
      summary: `Not delivered: Apple tried ${plural(attempts.length, 'time')} and your server did not acknowledge it (${tried}). Check that the App Store Server Notifications URL set in App Store Connect for ${context.environment} is reachable over HTTPS with a valid certificate and answers an HTTP status from 200 to 206 within a few seconds.${later}`,
    }
  }
  if (status.signedPayload === undefined) {
    return {
      ...base,
      state: 'failed',
      summary: `Not confirmed: Apple reports a successful delivery (${tried}) but its answer holds no signedPayload, so there is nothing to verify it by.`,
    }
  }
  let notification: AppleNotificationPayload
  try {
    notification = await context.verifier.verify(status.signedPayload)
    checkEvidence(notification, context)
  } catch (error) {
    const reason = isNotificationTestError(error)
      ? error.message
      : `Signed payload rejected: ${error instanceof Error ? error.message : 'unknown reason'}.`
    return {
      ...base,
      state: 'failed',
      summary: `Not confirmed: Apple reports a successful delivery (${tried}), but the signed payload it returned is not valid evidence. ${reason}`,
      ...(isNotificationTestError(error) ? { verificationError: error } : {}),
    }
  }
  return {
    ...base,
    state: 'delivered',
    notification,
    summary: `Delivered: Apple's TEST notification ${notification.notificationUUID} reached your server at ${iso(success.attemptedAt)} (${tried}); its signed payload verified for ${context.bundleId} in ${context.environment}.`,
  }
}

/** The verified payload is this test's TEST notification, not an older or another test's one. */
function checkEvidence(notification: AppleNotificationPayload, context: OutcomeContext): void {
  if (notification.notificationType !== 'TEST') {
    throw new Error(
      `its notificationType is ${quoteUntrusted(notification.notificationType)}, not TEST`,
    )
  }
  const earliest = context.ticket.requestedAt - SIGNED_BEFORE_REQUEST_SKEW_MS
  if (notification.signedDate < earliest) {
    throw new Error(
      `it was signed at ${iso(notification.signedDate)}, before this test was requested at ${iso(context.ticket.requestedAt)} (${SIGNED_BEFORE_REQUEST_SKEW_MS / 60_000} minutes of clock skew allowed): an older notification replayed, not evidence of this one`,
    )
  }
  const owner = context.claims.claim(notification.notificationUUID, context.ticket.id)
  if (owner !== undefined) {
    throw new Error(
      `its notification ${quoteUntrusted(notification.notificationUUID)} is the evidence of another test (token ${quoteUntrusted(owner, 80)}), not of this one`,
    )
  }
}

function sendAttempts(status: AppleTestNotificationStatus, ticket: TestTicket): SendAttempt[] {
  const attempts = status.sendAttempts.map((attempt) => ({
    attemptedAt: attempt.attemptDate,
    result: attempt.sendAttemptResult,
    succeeded: attempt.sendAttemptResult === 'SUCCESS',
  }))
  // Older answers carry only the deprecated first result, without a time: use the request's.
  if (attempts.length === 0 && status.firstSendAttemptResult !== undefined) {
    const result = status.firstSendAttemptResult
    attempts.push({ attemptedAt: ticket.requestedAt, result, succeeded: result === 'SUCCESS' })
  }
  return attempts
}

function listAttempts(attempts: readonly SendAttempt[]): string {
  return attempts
    .map((attempt, index) => {
      const meaning = describeSendAttemptResult(attempt.result)
      return `attempt ${index + 1} at ${iso(attempt.attemptedAt)}: ${attempt.result}, ${meaning}`
    })
    .join('; ')
}

function plural(count: number, word: string): string {
  return count === 1 ? `once` : `${count} ${word}s`
}

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15
    ? new Date(ms).toISOString()
    : 'an unknown time'
}
