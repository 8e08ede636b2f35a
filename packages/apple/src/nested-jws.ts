import type { AppleEnvironment } from './environment.js'
import type {
  AppleAppData,
  AppleNotificationData,
  AppleNotificationPayload,
} from './notification-payload.js'
import {
  appTransactionSchema,
  renewalInfoSchema,
  transactionInfoSchema,
  type AppleAppTransaction,
  type AppleRenewalInfo,
  type AppleTransactionInfo,
} from './signed-values.js'
import { quoteUntrusted } from './untrusted-text.js'
import { VerificationFailure } from './verification-failure.js'
import { verifyJws, type JwsVerification } from './verify-jws.js'

/** What the nested values must match: the notification's app, as the caller expects it. */
export interface ExpectedApp {
  readonly bundleId: string
  readonly environment: AppleEnvironment
  readonly appAppleId?: number | undefined
}

/**
 * Verifies the JWS a notification carries inside it (`data.signedTransactionInfo`,
 * `data.signedRenewalInfo`, `appData.signedAppTransactionInfo`) with the same roots and checks,
 * and returns the notification with each one's decoded value beside its raw string
 * (`transactionInfo`, `renewalInfo`, `appTransactionInfo`). The checks are those Apple's library
 * applies to each: a transaction's bundle id and environment; renewal info's environment; an app
 * transaction's bundle id, environment (`receiptType`) and, in Production, app Apple ID. Any failure
 * rejects the whole notification: one forged part makes none of it evidence.
 */
export async function withVerifiedNestedValues(
  payload: AppleNotificationPayload,
  expected: ExpectedApp,
  verification: JwsVerification,
  now: () => number,
): Promise<AppleNotificationPayload> {
  const { data, appData } = payload
  const result: Record<string, unknown> = { ...payload }
  if (data !== undefined) result.data = await verifiedData(data, expected, verification)
  if (appData !== undefined) {
    result.appData = await verifiedAppData(appData, expected, verification, now)
  }
  return result as AppleNotificationPayload
}

async function verifiedData(
  data: AppleNotificationData,
  expected: ExpectedApp,
  verification: JwsVerification,
): Promise<AppleNotificationData> {
  // Decoded values come only from verified JWS: a plain field of the same name is not kept.
  const { transactionInfo: _t, renewalInfo: _r, ...rest } = data
  const out: Record<string, unknown> = rest
  if (data.signedTransactionInfo !== undefined) {
    const info: AppleTransactionInfo = await nested('data.signedTransactionInfo', () =>
      verifyJws(
        data.signedTransactionInfo,
        transactionInfoSchema,
        'a transaction',
        signedDateOf,
        verification,
      ),
    )
    same('data.signedTransactionInfo', 'bundleId', info.bundleId, expected.bundleId)
    same('data.signedTransactionInfo', 'environment', info.environment, expected.environment)
    out.transactionInfo = info
  }
  if (data.signedRenewalInfo !== undefined) {
    const info: AppleRenewalInfo = await nested('data.signedRenewalInfo', () =>
      verifyJws(
        data.signedRenewalInfo,
        renewalInfoSchema,
        'renewal info',
        signedDateOf,
        verification,
      ),
    )
    same('data.signedRenewalInfo', 'environment', info.environment, expected.environment)
    out.renewalInfo = info
  }
  return out
}

async function verifiedAppData(
  appData: AppleAppData,
  expected: ExpectedApp,
  verification: JwsVerification,
  now: () => number,
): Promise<AppleAppData> {
  const { appTransactionInfo: _a, ...rest } = appData
  const out: Record<string, unknown> = rest
  if (appData.signedAppTransactionInfo !== undefined) {
    const field = 'appData.signedAppTransactionInfo'
    // Apple checks an app transaction's certificates at its receipt's creation date, or now.
    const info: AppleAppTransaction = await nested(field, () =>
      verifyJws(
        appData.signedAppTransactionInfo,
        appTransactionSchema,
        'an app transaction',
        (payload) => payload.receiptCreationDate ?? now(),
        verification,
      ),
    )
    same(field, 'bundleId', info.bundleId, expected.bundleId)
    same(field, 'receiptType', info.receiptType, expected.environment)
    if (expected.environment === 'Production') {
      same(field, 'appAppleId', info.appAppleId, expected.appAppleId)
    }
    out.appTransactionInfo = info
  }
  return out
}

function signedDateOf(payload: Readonly<Record<string, unknown>>): unknown {
  return payload.signedDate
}

/** Runs one nested verification, naming the field in any check that fails. */
async function nested<T>(field: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof VerificationFailure) {
      throw new VerificationFailure(`${field}: ${error.check}`)
    }
    throw error
  }
}

function same(field: string, name: string, actual: unknown, wanted: unknown): void {
  if (actual === wanted) return
  const shown = typeof actual === 'number' ? String(actual) : quoteUntrusted(actual)
  throw new VerificationFailure(
    `${field}: its ${name} is ${shown}, not ${typeof wanted === 'number' ? String(wanted) : quoteUntrusted(wanted)}`,
  )
}
