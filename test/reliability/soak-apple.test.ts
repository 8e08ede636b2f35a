import {
  createAppleTester,
  type AppleTester,
  type AppleTesterOptions,
  type AppleTestTicket,
} from '@notiprobe/apple'
import { isNotificationTestError, waitForOutcome, type TestTicket } from '@notiprobe/core'
import {
  APPLE_ENDPOINTS,
  startAppleSimulator,
  type AppleEndpoint,
  type AppleSimulator,
} from '@notiprobe/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportFigures } from '../support/figures.js'
import { pick, seededRandom } from '../support/random.js'
import {
  startFaultProxy,
  startNotificationSink,
  type FaultProxy,
  type NotificationSink,
} from '../support/servers.js'
import {
  COMMON_PHASES,
  READ_TIMEOUT_MS,
  RETRY,
  SEED,
  SHORT_SEND_TIMEOUT_MS,
  SLOW_MS,
  expectSoakHeld,
  runSoak,
  soakContext,
  summarise,
  type Harness,
  type Phase,
} from '../support/soak.js'

/**
 * The Apple soak: sends, checks, raw status reads, history iterations and waits against the Apple
 * simulator under every fault the engine injects, plus a slow send endpoint and a mix of faults per
 * endpoint. Counted at the simulator and at the server it delivers to: no send() made Apple act
 * twice, no TEST notification arrived twice.
 */

const PHASES: readonly Phase[] = [
  ...COMMON_PHASES,
  {
    name: 'slow send endpoint, short send deadline',
    faults: {
      '*': { kind: 'latency', latencyMs: 40, probability: 0.5 },
      requestTestNotification: { kind: 'latency', latencyMs: SLOW_MS, probability: 0.3 },
    },
    sendTimeoutMs: SHORT_SEND_TIMEOUT_MS,
  },
  {
    name: 'mixed per endpoint',
    faults: {
      requestTestNotification: { kind: 'status', status: 503, probability: 0.3 },
      getTestNotificationStatus: { kind: 'drop', probability: 0.25 },
      getNotificationHistory: { kind: 'rateLimit', probability: 0.2 },
    },
  },
]

const { scanner, errorsMet, logger, clock } = soakContext('soak: Apple')

describe('soak against the Apple simulator', () => {
  let sim: AppleSimulator
  let sink: NotificationSink
  let proxy: FaultProxy
  let tester: AppleTester
  let options: AppleTesterOptions

  beforeAll(async () => {
    sink = await startNotificationSink()
    sim = await startAppleSimulator({
      rateLimits: 'off',
      notificationUrl: sink.url,
      deliveryDelayMs: 5,
      random: seededRandom(SEED),
    })
    sim.seedHistory({ count: 45, startDate: Date.now() - 3_600_000, endDate: Date.now() - 60_000 })
    proxy = await startFaultProxy(sim.baseUrl, { tagQuery: true })
    scanner.plant(sim.credentials.privateKeyPem)
    options = {
      issuerId: sim.credentials.issuerId,
      keyId: sim.credentials.keyId,
      privateKey: sim.credentials.privateKeyPem,
      bundleId: sim.bundleId,
      environment: 'Sandbox',
      baseUrl: proxy.baseUrl,
      rootCertificates: [sim.rootCertificatePem],
      rateLimits: 'off',
      timeoutMs: READ_TIMEOUT_MS,
      retry: RETRY,
      clock,
      random: seededRandom(SEED + 1),
      logger,
    }
    tester = createAppleTester(options)
  })

  afterAll(async () => {
    tester.close()
    await proxy.close()
    await sim.close()
    await sink.close()
  })

  it('keeps working, fails only as each fault calls for, and never delivers a send twice', async () => {
    const random = seededRandom(SEED + 2)
    const since = Date.now() - 7_200_000
    // Waits follow one of the newest tickets, so most of them see `pending` first.
    const recent = (tickets: readonly TestTicket[]): AppleTestTicket => {
      const ticket = tickets.at(-1 - Math.floor(random() * Math.min(3, tickets.length)))
      if (ticket === undefined) throw new Error('no ticket yet')
      return ticket as AppleTestTicket
    }
    const endpoints: readonly AppleEndpoint[] = APPLE_ENDPOINTS.filter(
      (endpoint) => !endpoint.includes('erformance'),
    )
    const harness: Harness = {
      vendor: 'apple',
      phases: PHASES,
      endpoints,
      sendEndpoint: 'requestTestNotification',
      actedStatus: 200,
      isSendPath: (path) => path === '/inApps/v1/notifications/test',
      // 429, and 5000001, which the simulator answers to injected 5xx other than 500.
      permitsRetry: (entry) =>
        entry.status === 429 ||
        (entry.fault?.kind === 'status' && entry.status !== undefined && entry.status > 500),
      isReadOperation: () => false,
      setFault: (endpoint, spec) => sim.faults.set(endpoint as AppleEndpoint, spec),
      clearFaults: () => sim.faults.clear(),
      requests: () => sim.inspect().requests,
      simFaults: () => sim.faults.count.total,
      send: async (_index, timeoutMs, baseUrl) => {
        const sender = createAppleTester({ ...options, baseUrl })
        try {
          return await sender.send({ timeoutMs })
        } finally {
          sender.close()
        }
      },
      reads: [
        {
          name: 'check',
          weight: 4,
          run: (tickets) => tester.check(pick(tickets, random), { timeoutMs: READ_TIMEOUT_MS }),
        },
        {
          name: 'status',
          weight: 2,
          run: async (tickets) => {
            try {
              return await tester.getTestNotificationStatus(pick(tickets, random).id)
            } catch (error) {
              // 4040008: Apple has not recorded the delivery yet; the documented pending answer.
              if (isNotificationTestError(error) && error.vendorCode === 4_040_008) return 'pending'
              throw error
            }
          },
        },
        {
          name: 'history',
          weight: 2,
          run: async () => {
            let records = 0
            const onlyFailures = random() < 0.3
            for await (const _record of tester.notificationHistory({
              startDate: since,
              endDate: Date.now(),
              ...(onlyFailures ? { onlyFailures } : {}),
            })) {
              records++
            }
            return records
          },
        },
        {
          name: 'wait',
          weight: 2,
          run: (tickets) =>
            waitForOutcome(tester, recent(tickets), { timeoutMs: READ_TIMEOUT_MS, clock }),
        },
      ],
    }
    const figures = await runSoak(harness, proxy, random, errorsMet)
    for (const credential of proxy.captured) scanner.plant(credential)
    const inspection = sim.inspect()
    const deliveredTwice = [...sink.deliveries.values()].filter((n) => n > 1).length
    const attempted = inspection.testNotifications.filter((record) => record.attempts.length > 0)
    reportFigures('soak: Apple', {
      ...summarise(figures),
      testNotificationsAtSimulator: inspection.testNotifications.length,
      deliveriesReceived: sink.total(),
      notificationsDeliveredTwice: deliveredTwice,
      jwtsCaptured: proxy.captured.size,
    })
    expectSoakHeld(figures, inspection.testNotifications.length)
    expect(deliveredTwice).toBe(0)
    expect(sink.total()).toBe(attempted.length)
    // Every wait that did not fail saw its notification delivered and verified.
    expect(figures.waits.delivered).toBe(figures.waits.run - figures.waits.failed)
    expect(figures.acceptedOnBrokenAnswer).toBe(0)
  }, 120_000)
})
