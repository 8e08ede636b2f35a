import {
  notificationApp,
  type AppleNotificationPayload,
  type ApplePerformanceTestResult,
  type AppleTestOutcome,
  type AppleTester,
} from '@notiprobe/apple'
import type { TestOutcome, WaitProgress } from '@notiprobe/core'
import { formatDuration } from '../duration.js'
import type { Output } from '../output/output.js'
import { isoTime, printFacts, stateLabel } from './shared.js'

/** "pending after 2 checks; next check in 1 s (Apple's limit in Sandbox)" */
export function waitState(progress: WaitProgress, environment: string): string {
  const next =
    progress.nextCheckInMs === undefined
      ? ''
      : `; next check in ${formatDuration(progress.nextCheckInMs)} (Apple's limit in ${environment})`
  return `${progress.outcome.state} after ${progress.checks} check${progress.checks === 1 ? '' : 's'}${next}`
}

/** The progress line while `apple test --wait` waits: what it waits for, then `waitState`. */
export function waitLine(progress: WaitProgress, environment: string): string {
  return `Waiting for Apple to deliver the test notification: ${waitState(progress, environment)}`
}

/** The evidence of a test notification outcome, for people. */
export function printAppleOutcome(
  output: Output,
  tester: AppleTester,
  outcome: TestOutcome<AppleNotificationPayload>,
): void {
  const n = outcome.notification
  // The tester's outcomes are AppleTestOutcomes; core's runTest types them as plain outcomes.
  const { verificationError } = outcome as Partial<AppleTestOutcome>
  printFacts(output, [
    ['token', outcome.ticket.id],
    ['environment', `${tester.environment} (${new URL(tester.baseUrl).host})`],
    ['state', stateLabel(output, outcome.state)],
    ...outcome.attempts.map(
      (attempt, i) =>
        [
          `attempt ${i + 1}`,
          `${isoTime(attempt.attemptedAt)}  ${stateLabel(output, attempt.result)}`,
        ] as const,
    ),
    ...(n === undefined ? [] : notificationFacts(n)),
    ['verification', verificationError?.message],
    ['summary', outcome.summary],
  ])
}

export function notificationFacts(
  n: AppleNotificationPayload,
): (readonly [string, string | number | undefined])[] {
  const app = notificationApp(n)
  const transaction = n.data?.transactionInfo
  const renewal = n.data?.renewalInfo
  const appTransaction = n.appData?.appTransactionInfo
  return [
    [
      'notification',
      `${n.notificationType}${n.subtype === undefined ? '' : `/${n.subtype}`} ${n.notificationUUID}`,
    ],
    [
      'app',
      app === undefined
        ? undefined
        : `${[app.bundleId, app.environment, app.appAppleId].filter((x) => x !== undefined).join(', ')} (from ${app.source})`,
    ],
    ['signed', `${isoTime(n.signedDate)}, signature and certificate chain verified`],
    [
      'transaction',
      transaction === undefined
        ? undefined
        : `${transaction.transactionId ?? '?'} (original ${transaction.originalTransactionId ?? '?'}), ${transaction.productId ?? '?'}, verified`,
    ],
    [
      'renewal info',
      renewal === undefined
        ? undefined
        : `${renewal.autoRenewProductId ?? '?'}, auto-renew ${renewal.autoRenewStatus === 1 ? 'on' : 'off'}, verified`,
    ],
    [
      'app transaction',
      appTransaction === undefined
        ? undefined
        : `${appTransaction.appTransactionId ?? '?'} (${appTransaction.receiptType ?? '?'}), verified`,
    ],
  ]
}

/** A performance test result, for people. */
export function printPerformanceResult(output: Output, result: ApplePerformanceTestResult): void {
  const c = result.config ?? {}
  const t = result.responseTimes ?? {}
  const ms = (value: number | undefined): string | undefined =>
    value === undefined ? undefined : `${Math.round(value)} ms`
  const failures = Object.entries(result.failures ?? {}).filter(([, count]) => count > 0)
  printFacts(output, [
    ['result', stateLabel(output, result.result)],
    ['target', result.target],
    [
      'success rate',
      result.successRate === undefined
        ? undefined
        : `${result.successRate} %${c.successRateThreshold === undefined ? '' : ` (needs ${c.successRateThreshold} %)`}`,
    ],
    [
      'response times',
      t.p50 === undefined
        ? undefined
        : `p50 ${ms(t.p50)}, p90 ${ms(t.p90)}, p95 ${ms(t.p95)}, p99 ${ms(t.p99)}${c.responseTimeThreshold === undefined ? '' : ` (limit ${c.responseTimeThreshold} ms)`}`,
    ],
    [
      'requests',
      c.totalRequests === undefined
        ? undefined
        : `${c.totalRequests}, ${c.maxConcurrentRequests ?? '?'} at a time`,
    ],
    ['pending', result.numPending === 0 ? undefined : result.numPending],
    [
      'failures',
      failures.length === 0
        ? 'none'
        : failures.map(([code, count]) => `${code} ×${count}`).join(', '),
    ],
  ])
}
