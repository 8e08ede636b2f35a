import type { AppleTester } from '@notiprobe/apple'
import { isPassing, runTest, waitForOutcome } from '@notiprobe/core'
import { systemClock } from '@notiprobe/core/adapter'
import type { SailPointTester } from '@notiprobe/sailpoint'
import type { CommandContext, CommonOptions } from '../context.js'
import { formatDuration } from '../duration.js'
import { describeFailure } from '../errors.js'
import { EXIT, worstExitCode, type ExitCode } from '../exit-codes.js'
import { printAdvice, printReport } from '../output/report.js'
import { emitReport, ticketJson, timings, type CheckResult } from '../output/result.js'
import { GITHUB_REPOSITORY, startGitHubReceiver } from '../servers/github-receiver.js'
import { startLocalVendors, type LocalVendors } from '../servers/local-vendors.js'
import { waitState } from './apple-format.js'

export type DemoOptions = CommonOptions

/** The whole demo normally takes a few seconds; a minute leaves room for a slow machine. */
const DEFAULT_TIMEOUT_MS = 60_000

/** Checks the demo runs. */
const STEPS = 5

/** A Sandbox originalTransactionId for the realtime requests of the performance test. */
const ORIGINAL_TRANSACTION_ID = '2000000123456789'

/** A check of the demo, in the shared result shape, with the exit code it means. */
interface DemoCheck {
  readonly result: CheckResult
  readonly exitCode: ExitCode
}

/** What a step proved: the result's own fields. */
type StepResult = Pick<
  CheckResult,
  'state' | 'ok' | 'evidence' | 'ticket' | 'details' | 'error'
> & {
  readonly exitCode?: ExitCode
}

/**
 * `notiprobe demo`: every check, against simulators on loopback, with the same adapters and code
 * paths a real run uses. Needs no account and no network, and closes everything it started.
 */
export async function runDemo(context: CommandContext, options: DemoOptions): Promise<ExitCode> {
  const { output, io } = context
  const c = output.color
  const startedAt = io.now()
  const deadline = startedAt + (options.timeout ?? DEFAULT_TIMEOUT_MS)
  const remaining = (): number => Math.max(1, deadline - io.now())

  output.print(
    `${c.bold('notiprobe demo')} ${c.dim('· Apple, SailPoint and GitHub simulators on 127.0.0.1 · no account, no network')}`,
  )
  const starting = await output.progress(
    'Starting the simulators, a notification receiver and a realtime endpoint',
  )
  let vendors: LocalVendors
  try {
    vendors = await startLocalVendors({
      // The Apple simulator plays a Production app (it has an app Apple ID): Apple lets a Production
      // app check a test notification's status once a second, so step 1 confirms delivery in about
      // a second, at Apple's real limit, with Production's checks (the app Apple ID is verified).
      // The performance test is Sandbox-only whatever the app (360 result reads an hour): step 3
      // reads them once, after the local realtime endpoint has answered every request, as a team
      // watching its server would.
      apple: { environment: 'Production' },
      now: io.now,
      operation: context.operation,
    })
    starting.succeed('Simulators, notification receiver and realtime endpoint running on 127.0.0.1')
  } catch (error) {
    starting.fail('Could not start the simulators')
    throw error
  }

  const { apple: appleSim, sailpoint: sailSim } = vendors
  const { createAppleTester } = await import('@notiprobe/apple')
  const { createSailPointTester } = await import('@notiprobe/sailpoint')
  const { issuerId, keyId, privateKeyPem, bundleId } = appleSim.credentials
  const apple: AppleTester = createAppleTester({
    issuerId,
    keyId,
    privateKey: privateKeyPem,
    bundleId,
    environment: appleSim.environment,
    appAppleId: appleSim.appAppleId,
    baseUrl: appleSim.baseUrl,
    rootCertificates: [appleSim.rootCertificatePem],
    onEvent: context.onEvent,
  })
  const sailpoint: SailPointTester = createSailPointTester({
    baseUrl: sailSim.baseUrl,
    ...sailSim.credentials,
    apiVersion: 'v1',
    onEvent: context.onEvent,
  })

  const checks: DemoCheck[] = []
  const step = async (
    index: number,
    vendor: string,
    check: string,
    title: string,
    body: (update: (text: string) => void) => Promise<StepResult>,
  ): Promise<DemoCheck> => {
    const label = `${index}/${STEPS} ${title}`
    const progress = await output.progress(label)
    const began = io.now()
    let result: StepResult
    try {
      result = await body((text) => progress.update(`${label}: ${text}`))
    } catch (error) {
      if (context.signal.aborted) {
        progress.stop()
        throw error
      }
      const failure = describeFailure(error, context.operation)
      result = {
        state: failure.json.kind,
        ok: false,
        evidence: failure.json.message,
        exitCode: failure.exitCode,
        error: failure.json,
      }
    }
    const { exitCode, ...fields } = result
    const entry: DemoCheck = {
      result: { name: title, vendor, check, timings: timings(began, io.now()), ...fields },
      exitCode: exitCode ?? (result.ok ? EXIT.ok : EXIT.failed),
    }
    if (result.ok) progress.succeed(`${label}: ${result.evidence}`)
    else progress.fail(`${label}: ${result.state}: ${result.evidence}`)
    checks.push(entry)
    return entry
  }

  try {
    // 1. A TEST notification, followed until Apple reports it delivered, its payload verified.
    const first = await step(
      1,
      'apple',
      'test notification',
      'Apple test notification',
      async (update) => {
        const outcome = await runTest(apple, {
          signal: context.signal,
          timeoutMs: remaining(),
          onSent: (ticket) => update(`requested (token ${ticket.id.slice(0, 8)}…)`),
          onProgress: (p) => update(waitState(p, apple.environment)),
        })
        const n = outcome.notification
        const received =
          n === undefined
            ? undefined
            : vendors.receiver?.received.find(
                (r) => r.notification.notificationUUID === n.notificationUUID,
              )
        const attempts = outcome.attempts.map((a) => a.result).join(', ')
        return {
          state: outcome.state,
          ok: isPassing(outcome) && received !== undefined,
          evidence:
            n === undefined
              ? outcome.summary
              : `${n.notificationType} ${n.notificationUUID}: ${attempts}; verified by the receiver on arrival and in Apple's status`,
          ticket: ticketJson(outcome.ticket),
          details: {
            attempts: outcome.attempts,
            notification: n,
            receivedAt: received?.receivedAt,
          },
        }
      },
    )
    const uuid = (first.result.details?.notification as { notificationUUID?: string } | undefined)
      ?.notificationUUID

    // 2. Notification history shows that notification, each record verified.
    await step(2, 'apple', 'notification history', 'Apple notification history', async (update) => {
      let count = 0
      let found: { signedDate: number; attempts: string } | undefined
      for await (const record of apple.notificationHistory(
        { startDate: startedAt - 60_000, endDate: io.now() + 1000, notificationType: 'TEST' },
        { signal: context.signal, timeoutMs: remaining() },
      )) {
        count++
        update(`${count} record${count === 1 ? '' : 's'} read`)
        const n = await apple.verifySignedPayload(record.signedPayload)
        if (n.notificationUUID === uuid) {
          found = {
            signedDate: n.signedDate,
            attempts: record.sendAttempts.map((a) => a.sendAttemptResult).join(', '),
          }
        }
      }
      return {
        state: found === undefined ? 'missing' : 'listed',
        ok: found !== undefined,
        evidence:
          found === undefined
            ? `${uuid ?? 'the test notification'} is not among ${count} TEST notifications`
            : `${uuid ?? ''} listed (${found.attempts}) among ${count} TEST notification${count === 1 ? '' : 's'}, verified`,
        details: { notificationUUID: uuid, records: count },
      }
    })

    // 3. A performance test against the local realtime endpoint, followed to its result.
    await step(3, 'apple', 'performance test', 'Apple performance test', async (update) => {
      const started = await apple.initiatePerformanceTest(
        { originalTransactionId: ORIGINAL_TRANSACTION_ID },
        { signal: context.signal, timeoutMs: remaining() },
      )
      const total = started.config?.totalRequests ?? 0
      const endpoint = vendors.realtime
      // Wait until our endpoint has answered every request (or the run's own duration is over),
      // then read the results once.
      const runEnds = io.now() + (started.config?.totalDuration ?? 10_000) + 1000
      while (endpoint !== undefined && endpoint.answered < total && io.now() < runEnds) {
        update(`${endpoint.answered} of ${total} realtime requests answered`)
        await systemClock.sleep(50, context.signal)
      }
      const result = await apple.waitForPerformanceTest(started.requestId, {
        signal: context.signal,
        timeoutMs: remaining(),
        onProgress: (p) =>
          update(
            `${p.result.result}${p.nextCheckInMs === undefined ? '' : `; next check in ${formatDuration(p.nextCheckInMs)} (Sandbox limit)`}`,
          ),
      })
      const cfg = result.config ?? started.config ?? {}
      const times = result.responseTimes
      return {
        state: result.result,
        ok: result.result === 'PASS',
        evidence: `${result.successRate ?? '?'} % of ${cfg.totalRequests ?? '?'} realtime requests answered (needs ${cfg.successRateThreshold ?? '?'} %); p95 ${times?.p95 === undefined ? '?' : Math.round(times.p95)} ms (limit ${cfg.responseTimeThreshold ?? '?'} ms)`,
        details: { requestId: started.requestId, result, endpointAnswered: endpoint?.answered },
      }
    })

    // 4. A SailPoint test notification, accepted, and what the simulator "sent".
    await step(
      4,
      'sailpoint',
      'test notification',
      'SailPoint test notification',
      async (update) => {
        update('fetching an access token and checking the template')
        const ticket = await sailpoint.send({
          key: 'cloud_manual_work_item_summary',
          medium: 'EMAIL',
          context: { numberOfPendingTasks: '4', taskTasks: 'tasks' },
          locale: 'en',
          recipients: ['platform-team@example.com'],
          preflight: true,
          signal: context.signal,
          timeoutMs: remaining(),
        })
        const outcome = await sailpoint.check(ticket)
        const sent = sailSim.outbox.at(-1)
        return {
          state: outcome.state,
          ok: isPassing(outcome) && sent !== undefined,
          evidence:
            sent === undefined
              ? 'accepted, but the simulator recorded nothing in its outbox'
              : `HTTP ${ticket.details.httpStatus} (${ticket.details.endpoint}); outbox: "${sent.subject}" to ${sent.recipients.to.join(', ')}`,
          ticket: ticketJson(ticket),
          details: { outbox: sent },
        }
      },
    )

    // 5. A GitHub ping to the demo's own receiver: verified by signature on arrival, then found,
    //    by that delivery's GUID, in the hook's deliveries log.
    await step(5, 'github', 'webhook ping', 'GitHub webhook ping', async (update) => {
      const hook = await startGitHubReceiver(vendors.github, context.operation)
      const { createGitHubTester } = await import('@notiprobe/github')
      const github = createGitHubTester({
        baseUrl: vendors.github.baseUrl,
        target: { ...GITHUB_REPOSITORY, hookId: hook.hookId },
        auth: { token: vendors.github.credentials.token },
        rateLimits: 'off',
      })
      try {
        update('pinging the hook')
        const ticket = await github.send({ signal: context.signal, timeoutMs: remaining() })
        update(`GitHub answered HTTP ${ticket.details.httpStatus}; waiting for the delivery`)
        const received = await hook.received(context.signal, remaining())
        const outcome = await waitForOutcome(
          {
            vendor: github.vendor,
            pollIntervalMs: github.pollIntervalMs,
            check: (t: typeof ticket, o) => github.check(t, { ...o, guid: received.deliveryId }),
          },
          ticket,
          { signal: context.signal, timeoutMs: remaining() },
        )
        const d = outcome.delivery
        return {
          state: outcome.state,
          ok: isPassing(outcome),
          evidence:
            d === undefined
              ? outcome.summary
              : `ping ${d.guid}: signature verified on arrival (${received.contentType} body); log: HTTP ${d.status_code} ${d.status} in ${d.duration} s`,
          ticket: ticketJson(ticket),
          details: {
            delivery: d,
            received: { guid: received.deliveryId, event: received.name },
          },
        }
      } finally {
        github.close()
        await hook.close()
      }
    })
  } finally {
    apple.close()
    sailpoint.close()
    await vendors.close()
  }

  const endedAt = io.now()
  const durationMs = endedAt - startedAt
  const code = worstExitCode(checks.map((check) => check.exitCode))
  const results = checks.map((check) => check.result)
  if (output.json) {
    emitReport(output, { ok: code === EXIT.ok, timings: timings(startedAt, endedAt), results })
    return code
  }
  output.print()
  await printReport(output, results)
  printAdvice(output, results)
  const passed = results.filter((result) => result.ok).length
  output.print(
    code === EXIT.ok
      ? `${c.green('✔')} All ${checks.length} checks passed in ${formatDuration(durationMs)}. Next: run them against your own accounts (README, "Real accounts").`
      : `${c.red('✖')} ${passed} of ${checks.length} checks passed in ${formatDuration(durationMs)}.`,
  )
  return code
}
