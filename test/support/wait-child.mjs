// Run by test/reliability/waits.test.ts in a process of its own, on the built packages: waits and
// calls ended by deadlines and AbortSignals, under faults, with long default timeouts elsewhere.
// It closes what it opened and then simply returns: if notiprobe left a timer or a socket behind,
// the process would not exit by itself, and the parent test would see it killed.
/* global AbortController, AbortSignal */
import { createServer } from 'node:http'
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import { createAppleTester } from '@notiprobe/apple'
import { isNotificationTestError, waitForOutcome } from '@notiprobe/core'
import { createSailPointTester } from '@notiprobe/sailpoint'
import { startAppleSimulator, startSailPointSimulator } from '@notiprobe/simulator'

const results = []

async function measure(name, expectedKind, limitMs, run) {
  const started = performance.now()
  let kind = 'none'
  try {
    await run()
  } catch (error) {
    kind = isNotificationTestError(error)
      ? error.kind
      : `not a NotificationTestError: ${String(error)}`
  }
  results.push({ name, expectedKind, kind, limitMs, ms: Math.round(performance.now() - started) })
}

// Accepts connections and never answers: deliveries to it stay unconfirmed.
const sockets = new Set()
const blackHole = createServer(() => undefined)
blackHole.on('connection', (socket) => sockets.add(socket))
await new Promise((resolve) => blackHole.listen(0, '127.0.0.1', resolve))
const blackHoleUrl = `http://127.0.0.1:${blackHole.address().port}/never`

const apple = await startAppleSimulator({
  rateLimits: 'off',
  notificationUrl: blackHoleUrl,
  deliveryDelayMs: 1,
  deliveryTimeoutMs: 60_000,
})
const sailpoint = await startSailPointSimulator({ rateLimits: 'off' })
const tester = createAppleTester({
  issuerId: apple.credentials.issuerId,
  keyId: apple.credentials.keyId,
  privateKey: apple.credentials.privateKeyPem,
  bundleId: apple.bundleId,
  environment: 'Sandbox',
  baseUrl: apple.baseUrl,
  rootCertificates: [apple.rootCertificatePem],
  rateLimits: 'off',
})
const sail = createSailPointTester({
  baseUrl: sailpoint.baseUrl,
  clientId: sailpoint.credentials.clientId,
  clientSecret: sailpoint.credentials.clientSecret,
})

try {
  // Default timeouts everywhere (30 s per call, 120 s per wait): a leaked timer would hold the
  // process open for that long.
  const ticket = await tester.send()

  await measure('wait: deadline while Apple still reports pending', 'timeout', 700, () =>
    waitForOutcome(tester, ticket, { timeoutMs: 600 }),
  )

  apple.faults.set('getTestNotificationStatus', { kind: 'latency', latencyMs: 20_000 })
  await measure('wait: deadline in the middle of a slow status call', 'timeout', 400, () =>
    waitForOutcome(tester, ticket, { timeoutMs: 300 }),
  )
  await measure('wait: abort in the middle of a slow status call', 'aborted', 300, () =>
    waitForOutcome(tester, ticket, { signal: AbortSignal.timeout(200) }),
  )
  apple.faults.clear()

  await measure('wait: abort in the pause between two checks', 'aborted', 250, () =>
    waitForOutcome(tester, ticket, { intervalMs: 60_000, signal: AbortSignal.timeout(150) }),
  )

  const aborted = new AbortController()
  aborted.abort()
  await measure('wait: signal already aborted', 'aborted', 50, () =>
    waitForOutcome(tester, ticket, { signal: aborted.signal }),
  )

  apple.faults.set('requestTestNotification', { kind: 'latency', latencyMs: 20_000 })
  await measure('send: deadline during a slow answer', 'timeout', 300, () =>
    tester.send({ timeoutMs: 200 }),
  )
  apple.faults.clear()

  // Each attempt takes 100 ms, so the four attempts cannot all be over before the abort.
  apple.faults.set('getNotificationHistory', { kind: 'status', status: 503, latencyMs: 100 })
  await measure('history: abort while retrying 5000001 with backoff', 'aborted', 350, async () => {
    const pages = tester.notificationHistory(
      { startDate: Date.now() - 60_000, endDate: Date.now() },
      { signal: AbortSignal.timeout(250) },
    )
    for await (const _record of pages) {
      // Never reached: every page answers 503.
    }
  })
  apple.faults.clear()

  sailpoint.faults.set('token', { kind: 'latency', latencyMs: 20_000 })
  await measure('SailPoint send: deadline while the token endpoint is slow', 'timeout', 300, () =>
    sail.send({
      key: 'cloud_manual_work_item_summary',
      medium: 'EMAIL',
      context: { numberOfPendingTasks: '1', taskTasks: 'task', ownerId: 'x' },
      timeoutMs: 200,
    }),
  )
  await measure(
    'SailPoint listTemplates: abort while the token endpoint is slow',
    'aborted',
    300,
    () => sail.listTemplates(undefined, { signal: AbortSignal.timeout(200) }),
  )
  sailpoint.faults.clear()

  // A new client: the first one's token fetch, which nobody waits for any more, is still slow.
  sailpoint.faults.set('listTemplates', { kind: 'rateLimit' })
  const fresh = createSailPointTester({
    baseUrl: sailpoint.baseUrl,
    clientId: sailpoint.credentials.clientId,
    clientSecret: sailpoint.credentials.clientSecret,
  })
  // Retry-After (1 s) is longer than what is left of the deadline: give up at once, say why.
  await measure(
    'SailPoint listTemplates: Retry-After beyond the deadline',
    'rate_limited',
    100,
    () => fresh.listTemplates(undefined, { timeoutMs: 300 }).finally(() => fresh.close()),
  )
  sailpoint.faults.clear()
} finally {
  tester.close()
  sail.close()
  await apple.close()
  await sailpoint.close()
  for (const socket of sockets) socket.destroy()
  await new Promise((resolve) => blackHole.close(resolve))
}

process.stdout.write(
  `${JSON.stringify({ results, resources: process.getActiveResourcesInfo() })}\n`,
)
