import type { ErrorKind, NotificationTestError, TestTicket } from '@notiprobe/core'
import { isNotificationTestError } from '@notiprobe/core'
import type { FaultSpec, RequestLogEntry } from '@notiprobe/simulator'
import { afterAll, beforeAll, expect } from 'vitest'
import { acceleratedClock } from './clock.js'
import { reportFigures, sorted, tally } from './figures.js'
import { installProcessGuard, type ProcessGuard } from './guard.js'
import { LeakScanner, recordingLogger } from './leaks.js'
import { pick } from './random.js'
import type { FaultProxy, ProxyAction, ProxyExchange } from './servers.js'

/**
 * The soak engine both vendors' soaks run on: phase after phase of injected faults (latency, 5xx,
 * 429 with the vendor's Retry-After, dropped connections, malformed, truncated and HTML bodies, and,
 * through a proxy, answers lost or delayed *after* the vendor acted). Every send() is made by a
 * client of its own whose requests the proxy tags, so that every request the simulator received
 * is traced to the send() that caused it, however late it arrived; sends run one at a time, reads
 * six at a time beside them.
 */

export const SEED = 0x5eed2026
const SCALE = Math.max(1, Number(process.env.NOTIPROBE_SOAK_SCALE ?? '1'))
const SENDS_PER_PHASE = 20 * SCALE
const READS_PER_PHASE = 80 * SCALE
const CONCURRENCY = 6
/** Reads get ten attempts: at a fault rate of 25 % all ten fail about once in a million reads. */
export const RETRY = { maxAttempts: 10, baseDelayMs: 2, maxDelayMs: 20, maxRetryAfterMs: 5_000 }
export const READ_TIMEOUT_MS = 15_000
const SEND_TIMEOUT_MS = 10_000
export const SHORT_SEND_TIMEOUT_MS = 150
export const SLOW_MS = 400

export type ProxyPolicy = (method: string, path: string) => ProxyAction

export interface Phase {
  readonly name: string
  /** Simulator faults by endpoint; `*` sets every endpoint. */
  readonly faults?: Readonly<Record<string, FaultSpec>>
  /** Faults after the vendor acted: the proxy loses or delays the answer. */
  readonly proxy?: (random: () => number) => ProxyPolicy
  readonly sendTimeoutMs?: number
  /** Kinds a read may fail with in this phase: answers no retry can fix. Default: none. */
  readonly readKinds?: readonly ErrorKind[]
  /**
   * Kinds reads fail with here only because of a defect the suites found (see the report); they
   * are counted apart so that the figures show them.
   */
  readonly defectKinds?: readonly ErrorKind[]
}

const lose =
  (probability: number): Phase['proxy'] =>
  (random) =>
  () =>
    random() < probability ? { kind: 'drop-response' } : { kind: 'pass' }

const delay =
  (probability: number, ms: number): Phase['proxy'] =>
  (random) =>
  () =>
    random() < probability ? { kind: 'delay-response', ms } : { kind: 'pass' }

/** The phases both vendors go through. */
export const COMMON_PHASES: readonly Phase[] = [
  { name: 'no faults' },
  { name: 'latency', faults: { '*': { kind: 'latency', latencyMs: 20, probability: 0.5 } } },
  { name: '503', faults: { '*': { kind: 'status', status: 503, probability: 0.25 } } },
  { name: '500', faults: { '*': { kind: 'status', status: 500, probability: 0.25 } } },
  { name: '429 with Retry-After', faults: { '*': { kind: 'rateLimit', probability: 0.2 } } },
  { name: 'dropped connections', faults: { '*': { kind: 'drop', probability: 0.2 } } },
  {
    name: 'HTML 502 from a proxy',
    faults: { '*': { kind: 'malformed', malformed: 'html', probability: 0.2 } },
  },
  {
    name: 'invalid JSON (HTTP 200)',
    faults: { '*': { kind: 'malformed', malformed: 'invalid-json', probability: 0.1 } },
    readKinds: ['invalid_response'],
  },
  {
    name: 'truncated bodies',
    faults: { '*': { kind: 'malformed', malformed: 'truncated', probability: 0.2 } },
  },
  { name: 'answers lost after the vendor acted', proxy: lose(0.2) },
  {
    name: 'answers late after the vendor acted, short send deadline',
    proxy: delay(0.2, SLOW_MS),
    sendTimeoutMs: SHORT_SEND_TIMEOUT_MS,
  },
]

/** Everything a vendor's soak needs from its simulator and testers. */
export interface Harness {
  readonly vendor: 'apple' | 'sailpoint'
  readonly phases: readonly Phase[]
  readonly endpoints: readonly string[]
  /** The simulator endpoint of the send, and the status it answers when it acted. */
  readonly sendEndpoint: string
  readonly actedStatus: number
  /** Proxy paths of the send request. */
  isSendPath(path: string): boolean
  /** Whether a send may be repeated after this answer (the vendor said so). */
  permitsRetry(entry: RequestLogEntry): boolean
  /** Operations whose failure inside a send is a read's (token fetch, pre-flight). */
  isReadOperation(operation: string): boolean
  setFault(endpoint: string, spec: FaultSpec): void
  clearFaults(): void
  requests(): RequestLogEntry[]
  simFaults(): number
  /** Called as each phase starts. */
  beforePhase?(): void
  /**
   * One send() by a client of its own at `baseUrl`: the proxy tags its requests with the client,
   * so the simulator's log names the send() behind every request, however late it arrives.
   */
  send(index: number, timeoutMs: number, baseUrl: string): Promise<TestTicket>
  readonly reads: readonly ReadOp[]
}

export interface ReadOp {
  readonly name: string
  readonly weight: number
  run(tickets: readonly TestTicket[]): Promise<unknown>
}

export interface SoakFigures {
  operations: Record<string, { run: number; succeeded: number; failed: number }>
  failuresByKind: Record<string, number>
  /** What the last request of each failed send met, and the kind it failed with. */
  sendFailures: Record<string, number>
  /** Sends repeated, by the answer that allowed it. */
  sendRetries: Record<string, number>
  phases: Record<string, { operations: number; failures: number; faults: number; ms: number }>
  requestsAtSimulator: Record<string, number>
  simulatorFaults: number
  proxyFaults: number
  sends: number
  sendsAccepted: number
  /** Requests the vendor acted on (Apple 200, SailPoint 204), counted at the simulator. */
  vendorActed: number
  /** Sends the vendor acted on whose answer never reached the client; not repeated. */
  actedButAnswerLost: number
  /** Sends reported accepted on a 2xx whose body was broken, where the vendor did nothing. */
  acceptedOnBrokenAnswer: number
  /** send() calls the vendor acted on more than once. Must be 0. */
  duplicates: number
  /** Send requests repeated after an answer that did not allow it. Must be 0. */
  unsafeRetries: number
  /** Send requests at the simulator that no send() accounts for. Must be 0. */
  strayRequests: number
  /** Reads that failed although retryable (retry budget exhausted). Must be 0. */
  readFailuresRetryable: number
  /** Read failures owed to a defect found by the suites. */
  readFailuresFromDefects: number
  wrongKind: string[]
  waits: { run: number; delivered: number; accepted: number; failed: number }
  wallMs: number
}

/** Process guard, leak scanner, logger and clock for one soak file; checks them after all. */
export function soakContext(name: string) {
  const guard: { current?: ProcessGuard } = {}
  const scanner = new LeakScanner()
  /** Errors met, scanned at the end, once every credential the proxy saw has been planted. */
  const errorsMet: [where: string, error: unknown][] = []
  const logged = recordingLogger()
  const clock = acceleratedClock(20)
  beforeAll(() => {
    guard.current = installProcessGuard()
  })
  afterAll(() => {
    const current = guard.current
    current?.dispose()
    for (const [where, error] of errorsMet) scanner.scanError(where, error)
    for (const [index, warning] of (current?.warnings ?? []).entries()) {
      scanner.scanText(`process warning ${String(index)}`, warning)
    }
    for (const [index, line] of logged.lines.entries()) {
      scanner.scanText(`log line ${String(index)}`, line)
    }
    reportFigures(`${name}: process and leaks`, {
      unhandledRejections: current?.unhandledRejections.length ?? 0,
      uncaughtExceptions: current?.uncaughtExceptions.length ?? 0,
      processWarnings: current?.warnings.length ?? 0,
      loggerLines: logged.lines.length,
      waitsAskedFor: clock.requested.length,
      leakScan: scanner.report(),
    })
    expect(current?.unhandledRejections ?? []).toEqual([])
    expect(current?.uncaughtExceptions ?? []).toEqual([])
    expect(scanner.leaks).toEqual([])
  })
  return { scanner, errorsMet, logger: logged.logger, clock }
}

/** Runs `tasks` at most `concurrency` at a time. */
async function pool(tasks: readonly (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++]
      if (task !== undefined) await task()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until the simulator has finished every request it received (answers, drops, latency). */
async function settle(harness: Harness, phase: Phase): Promise<void> {
  // A late answer from the proxy, or a slow simulator answer, lands within SLOW_MS.
  if (phase.proxy !== undefined || phase.sendTimeoutMs !== undefined) await sleep(SLOW_MS + 50)
  for (let i = 0; i < 200; i++) {
    if (harness.requests().every((entry) => entry.outcome !== 'pending')) return
    await sleep(10)
  }
}

/** The kinds a failed send may have, given the last thing that happened to its request. */
function allowedSendKinds(
  entry: RequestLogEntry | undefined,
  exchange: ProxyExchange | undefined,
): readonly ErrorKind[] {
  if (exchange?.action === 'drop-response') return ['network']
  if (exchange?.action === 'delay-response') return ['timeout']
  const fault = entry?.fault
  if (fault === undefined) return []
  switch (fault.kind) {
    case 'latency':
      return ['timeout']
    case 'drop':
      return ['network']
    case 'rateLimit':
      return ['rate_limited']
    case 'status':
      return fault.status === 429 ? ['rate_limited'] : ['vendor_error']
    case 'malformed':
      if (fault.malformed === 'invalid-json') return ['invalid_response']
      if (fault.malformed === 'html') return ['vendor_error']
      // A body cut short: a dropped connection (network) or, today, invalid_response.
      return ['network', 'invalid_response']
  }
}

/** Names a fault for the figures: `status 503`, `drop`, `malformed truncated`, `proxy ...`. */
function describeCause(
  entry: RequestLogEntry | undefined,
  exchange: ProxyExchange | undefined,
): string {
  if (exchange !== undefined && exchange.action !== 'pass') return `proxy ${exchange.action}`
  const fault = entry?.fault
  if (fault === undefined) return entry === undefined ? 'before the send request' : 'no fault'
  if (fault.kind === 'status') return `status ${String(fault.status)}`
  if (fault.kind === 'malformed') return `malformed ${fault.malformed ?? ''}`
  return fault.kind
}

interface SendRecord {
  readonly phase: Phase
  /** The client's tag, which the simulator's log shows as `_client=` in each request's query. */
  readonly tag: string
  readonly ticket?: TestTicket | undefined
  readonly error?: NotificationTestError | undefined
}

const tagOf = (entry: RequestLogEntry): string | undefined =>
  entry.query === undefined
    ? undefined
    : (new URLSearchParams(entry.query).get('_client') ?? undefined)

export async function runSoak(
  harness: Harness,
  proxy: FaultProxy,
  random: () => number,
  errorsMet: [string, unknown][],
): Promise<SoakFigures> {
  const started = performance.now()
  const figures: SoakFigures = {
    operations: {},
    failuresByKind: {},
    sendFailures: {},
    sendRetries: {},
    phases: {},
    requestsAtSimulator: {},
    simulatorFaults: 0,
    proxyFaults: 0,
    sends: 0,
    sendsAccepted: 0,
    vendorActed: 0,
    actedButAnswerLost: 0,
    acceptedOnBrokenAnswer: 0,
    duplicates: 0,
    unsafeRetries: 0,
    strayRequests: 0,
    readFailuresRetryable: 0,
    readFailuresFromDefects: 0,
    wrongKind: [],
    waits: { run: 0, delivered: 0, accepted: 0, failed: 0 },
    wallMs: 0,
  }
  const tickets: TestTicket[] = []
  const sends: SendRecord[] = []
  let failures = 0
  const count = (op: string, failed: boolean): void => {
    const entry = (figures.operations[op] ??= { run: 0, succeeded: 0, failed: 0 })
    entry.run++
    if (failed) entry.failed++
    else entry.succeeded++
  }
  const failure = (where: string, error: unknown): NotificationTestError => {
    if (!isNotificationTestError(error)) {
      figures.wrongKind.push(`${where}: not a NotificationTestError: ${String(error)}`)
      throw error
    }
    errorsMet.push([where, error])
    tally(figures.failuresByKind, error.kind)
    failures++
    return error
  }

  const runSend = async (phase: Phase, index: number): Promise<void> => {
    const tag = `s${String(index)}`
    let ticket: TestTicket | undefined
    let error: NotificationTestError | undefined
    try {
      const timeoutMs = phase.sendTimeoutMs ?? SEND_TIMEOUT_MS
      ticket = await harness.send(index, timeoutMs, `${proxy.baseUrl}/~${tag}`)
      tickets.push(ticket)
    } catch (caught) {
      error = failure(`${harness.vendor} send (${phase.name})`, caught)
    }
    count('send', error !== undefined)
    sends.push({ phase, tag, ticket, error })
  }

  const runRead = async (phase: Phase, op: ReadOp): Promise<void> => {
    if (op.name === 'wait') figures.waits.run++
    try {
      const result = await op.run(tickets)
      count(op.name, false)
      if (op.name === 'wait') {
        const state = (result as { state?: string } | undefined)?.state
        if (state === 'delivered') figures.waits.delivered++
        if (state === 'accepted') figures.waits.accepted++
      }
    } catch (caught) {
      const error = failure(`${harness.vendor} ${op.name} (${phase.name})`, caught)
      count(op.name, true)
      if (op.name === 'wait') figures.waits.failed++
      if (error.retryable) figures.readFailuresRetryable++
      if ((phase.defectKinds ?? []).includes(error.kind)) figures.readFailuresFromDefects++
      else if (!(phase.readKinds ?? []).includes(error.kind)) {
        figures.wrongKind.push(
          `${op.name} in "${phase.name}" failed with ${error.kind}: ${error.message}`,
        )
      }
    }
  }

  const weighted = harness.reads.flatMap((op) => Array.from({ length: op.weight }, () => op))
  // One send with no faults, so that reads have a ticket from the start.
  await runSend({ name: 'warm-up' }, 0)
  let sendIndex = 1
  for (const phase of harness.phases) {
    const phaseStarted = performance.now()
    const faultsBefore = harness.simFaults() + proxy.faultCount()
    const failuresBefore = failures
    const faults = Object.entries(phase.faults ?? {})
    for (const [, spec] of faults.filter(([endpoint]) => endpoint === '*')) {
      for (const name of harness.endpoints) harness.setFault(name, spec)
    }
    for (const [endpoint, spec] of faults.filter(([name]) => name !== '*')) {
      harness.setFault(endpoint, spec)
    }
    proxy.setPolicy(phase.proxy?.(random))
    harness.beforePhase?.()
    const sendLane = async (): Promise<void> => {
      for (let i = 0; i < SENDS_PER_PHASE; i++) await runSend(phase, sendIndex++)
    }
    const readTasks = Array.from({ length: READS_PER_PHASE }, () => {
      const op = pick(weighted, random)
      return () => runRead(phase, op)
    })
    try {
      await Promise.all([sendLane(), pool(readTasks, CONCURRENCY)])
    } finally {
      harness.clearFaults()
      proxy.setPolicy(undefined)
    }
    await settle(harness, phase)
    figures.phases[phase.name] = {
      operations: SENDS_PER_PHASE + READS_PER_PHASE,
      failures: failures - failuresBefore,
      faults: harness.simFaults() + proxy.faultCount() - faultsBefore,
      ms: Math.round(performance.now() - phaseStarted),
    }
  }

  // Every send, traced at the simulator: how often the vendor acted, and why a request repeated.
  const requests = harness.requests()
  expect(requests[0]?.seq, 'the simulator request log must not have overflowed').toBe(1)
  const attemptsBy = new Map<string, RequestLogEntry[]>()
  for (const entry of requests) {
    const tag = tagOf(entry)
    if (entry.endpoint !== harness.sendEndpoint || tag === undefined) continue
    attemptsBy.set(tag, [...(attemptsBy.get(tag) ?? []), entry])
  }
  const exchangesBy = new Map<string, ProxyExchange[]>()
  for (const exchange of proxy.exchanges) {
    if (exchange.tag === undefined || !harness.isSendPath(exchange.path)) continue
    exchangesBy.set(exchange.tag, [...(exchangesBy.get(exchange.tag) ?? []), exchange])
  }
  for (const send of sends) {
    const attempts = attemptsBy.get(send.tag) ?? []
    attemptsBy.delete(send.tag)
    const exchanges = exchangesBy.get(send.tag) ?? []
    // A malformed answer may carry the acted status (200) though the vendor did nothing.
    const acted = attempts.filter(
      (entry) => entry.status === harness.actedStatus && entry.fault?.kind !== 'malformed',
    ).length
    const last = attempts.at(-1)
    const exchange = exchanges.at(-1)
    figures.sends++
    figures.vendorActed += acted
    if (acted > 1) figures.duplicates++
    for (const entry of attempts.slice(0, -1)) {
      if (harness.permitsRetry(entry)) tally(figures.sendRetries, `after ${String(entry.status)}`)
      else figures.unsafeRetries++
    }
    if (send.ticket !== undefined) {
      figures.sendsAccepted++
      if (acted === 0) {
        figures.acceptedOnBrokenAnswer++
        if (last?.fault?.malformed !== 'invalid-json') {
          figures.wrongKind.push(
            `a send was accepted but the vendor did not act (${describeCause(last, exchange)})`,
          )
        }
      }
      continue
    }
    const error = send.error
    if (error === undefined) continue
    if (acted === 1) figures.actedButAnswerLost++
    // Failed before any send request: in the token fetch or the pre-flight, which are reads.
    // Also after an answer that allows a retry (a 401 for a new token, a 429): the failure came
    // while preparing the next attempt.
    const beforeSending =
      harness.isReadOperation(error.operation) ||
      last === undefined ||
      (last.fault === undefined && harness.permitsRetry(last))
    const allowed = beforeSending
      ? [
          ...(send.phase.readKinds ?? []),
          ...(send.phase.defectKinds ?? []),
          // The token fetch or pre-flight ran into the send's short deadline.
          ...(send.phase.sendTimeoutMs === undefined ? [] : (['timeout'] as const)),
        ]
      : [
          ...allowedSendKinds(last, exchange),
          // A short deadline can run out on a busy machine whatever the fault.
          ...(send.phase.sendTimeoutMs === undefined ? [] : (['timeout'] as const)),
        ]
    const cause = beforeSending
      ? `${error.operation} before the send request`
      : describeCause(last, exchange)
    tally(figures.sendFailures, `${cause} → ${error.kind}`)
    if (!allowed.includes(error.kind)) {
      figures.wrongKind.push(
        `send in "${send.phase.name}" after ${cause} failed with ${error.kind}: ${error.message}`,
      )
    }
  }
  // Send requests left over: from no send() of this soak, or with no client tag at all.
  figures.strayRequests =
    [...attemptsBy.values()].reduce((sum, entries) => sum + entries.length, 0) +
    requests.filter(
      (entry) => entry.endpoint === harness.sendEndpoint && tagOf(entry) === undefined,
    ).length
  for (const entry of requests) tally(figures.requestsAtSimulator, entry.endpoint)
  figures.requestsAtSimulator = sorted(figures.requestsAtSimulator)
  figures.failuresByKind = sorted(figures.failuresByKind)
  figures.sendFailures = sorted(figures.sendFailures)
  figures.simulatorFaults = harness.simFaults()
  figures.proxyFaults = proxy.faultCount()
  figures.wallMs = Math.round(performance.now() - started)
  return figures
}

/** The headline figures first, then the detail. */
export function summarise(figures: SoakFigures) {
  const operations = Object.values(figures.operations)
  return {
    operationsRun: operations.reduce((sum, op) => sum + op.run, 0),
    operationsSucceeded: operations.reduce((sum, op) => sum + op.succeeded, 0),
    operationsFailed: operations.reduce((sum, op) => sum + op.failed, 0),
    faultsInjected: figures.simulatorFaults + figures.proxyFaults,
    ...figures,
  }
}

/** What must hold after a soak; `sideEffects` is what the vendor recorded as sent. */
export function expectSoakHeld(figures: SoakFigures, sideEffects: number): void {
  expect(figures.wrongKind, 'failures of the wrong kind').toEqual([])
  expect(figures.duplicates, 'send() calls the vendor acted on twice').toBe(0)
  expect(figures.unsafeRetries, 'sends repeated after an answer that did not allow it').toBe(0)
  expect(figures.strayRequests, 'send requests no send() accounts for').toBe(0)
  expect(figures.readFailuresRetryable, 'retryable reads that failed').toBe(0)
  expect(sideEffects, 'records at the vendor vs. requests it acted on').toBe(figures.vendorActed)
}
