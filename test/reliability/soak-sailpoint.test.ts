import { waitForOutcome } from '@notiprobe/core'
import {
  createSailPointTester,
  type SailPointTester,
  type SailPointTicket,
} from '@notiprobe/sailpoint'
import {
  SAILPOINT_ENDPOINTS,
  startSailPointSimulator,
  type SailPointEndpoint,
  type SailPointSimulator,
  type SailPointTemplate,
} from '@notiprobe/simulator'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { reportFigures } from '../support/figures.js'
import { pick, seededRandom } from '../support/random.js'
import { startFaultProxy, type FaultProxy } from '../support/servers.js'
import {
  COMMON_PHASES,
  READ_TIMEOUT_MS,
  RETRY,
  SEED,
  expectSoakHeld,
  runSoak,
  soakContext,
  summarise,
  type Harness,
  type Phase,
} from '../support/soak.js'

/**
 * The SailPoint soak: sends on beta and v1 (some with pre-flight), template listings over two
 * pages, template checks (some by a new client, which fetches its own token), checks and waits,
 * with tokens that live one second and are revoked at every phase, under every fault the engine
 * injects plus a slow and a failing token endpoint.
 * Counted at the simulator's outbox: no send() sent twice.
 */

const PHASES: readonly Phase[] = [
  ...COMMON_PHASES,
  {
    name: 'slow token endpoint',
    faults: { token: { kind: 'latency', latencyMs: 60, probability: 1 } },
  },
  {
    name: 'token endpoint 503',
    faults: { token: { kind: 'status', status: 503, probability: 0.4 } },
  },
  {
    name: 'mixed per endpoint',
    faults: {
      token: { kind: 'drop', probability: 0.2 },
      sendTestNotification: { kind: 'rateLimit', probability: 0.3 },
      listTemplates: { kind: 'status', status: 502, probability: 0.25 },
    },
  },
]

const WORK_ITEM = {
  key: 'cloud_manual_work_item_summary',
  medium: 'EMAIL' as const,
  context: {
    numberOfPendingTasks: '4',
    taskTasks: 'tasks',
    ownerId: '201327fda1c44704ac01181e963d463c',
  },
}

const extraTemplates = (count: number): SailPointTemplate[] =>
  Array.from({ length: count }, (_, i) => ({
    key: `zz_soak_${String(i).padStart(4, '0')}`,
    name: `Soak ${String(i)}`,
    description: 'Added so that template listings span two pages.',
    variables: [],
    variants: [{ medium: 'EMAIL' as const, locale: 'en', subject: 'Soak', body: 'Soak' }],
  }))

const { scanner, errorsMet, logger, clock } = soakContext('soak: SailPoint')

describe('soak against the SailPoint simulator', () => {
  let sim: SailPointSimulator
  let proxy: FaultProxy
  const testers: SailPointTester[] = []

  beforeAll(async () => {
    sim = await startSailPointSimulator({
      rateLimits: 'off',
      tokenLifetimeSeconds: 1,
      templates: extraTemplates(300),
      random: seededRandom(SEED + 3),
    })
    proxy = await startFaultProxy(sim.baseUrl, { tagQuery: true })
    scanner.plant(sim.credentials.clientSecret)
  })

  afterAll(async () => {
    for (const tester of testers) tester.close()
    await proxy.close()
    await sim.close()
  })

  it('keeps working, fails only as each fault calls for, and never sends a notification twice', async () => {
    const random = seededRandom(SEED + 4)
    const make = (
      apiVersion: 'beta' | 'v1',
      keep = true,
      baseUrl = proxy.baseUrl,
    ): SailPointTester => {
      const tester = createSailPointTester({
        baseUrl,
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
        apiVersion,
        timeoutMs: READ_TIMEOUT_MS,
        retry: RETRY,
        rateLimit: { perSecond: 1000, burst: 1000 },
        clock,
        random: seededRandom(SEED + 5),
        logger,
      })
      if (keep) testers.push(tester)
      return tester
    }
    const reader = make('v1')
    const harness: Harness = {
      vendor: 'sailpoint',
      phases: PHASES,
      endpoints: SAILPOINT_ENDPOINTS,
      sendEndpoint: 'sendTestNotification',
      actedStatus: 204,
      isSendPath: (path) => path.includes('send-test-notification'),
      // 429, and 401: SailPoint refused the token before doing anything.
      permitsRetry: (entry) => entry.status === 429 || entry.status === 401,
      isReadOperation: (operation) =>
        operation === 'sailpoint.fetchAccessToken' || operation === 'sailpoint.listTemplates',
      setFault: (endpoint, spec) => sim.faults.set(endpoint as SailPointEndpoint, spec),
      clearFaults: () => sim.faults.clear(),
      requests: () => sim.inspect().requests,
      simFaults: () => sim.faults.count.total,
      // Every phase starts with every token revoked: the next calls meet a 401 and fetch anew.
      beforePhase: () => sim.revokeTokens(),
      // Each send by a new client: its token fetch and pre-flight are its own.
      send: async (index, timeoutMs, baseUrl) => {
        const v1 = index % 2 === 1
        const sender = make(v1 ? 'v1' : 'beta', false, baseUrl)
        try {
          return await sender.send({
            ...WORK_ITEM,
            ...(v1 ? { locale: 'en', recipients: ['soak@example.com'] } : {}),
            preflight: index % 4 === 0,
            timeoutMs,
          })
        } finally {
          sender.close()
        }
      },
      reads: [
        { name: 'listTemplates', weight: 3, run: () => reader.listTemplates() },
        {
          name: 'listTemplates (filtered)',
          weight: 2,
          run: () => reader.listTemplates({ medium: 'EMAIL', locale: 'en' }),
        },
        {
          name: 'checkTemplate',
          weight: 2,
          run: () => reader.checkTemplate(WORK_ITEM.key, WORK_ITEM.medium),
        },
        {
          // A new client each time, as each CLI run is: a token fetch under the phase's faults.
          name: 'checkTemplate (new client)',
          weight: 2,
          run: async () => {
            const cold = make('beta', false)
            try {
              return await cold.checkTemplate(WORK_ITEM.key, WORK_ITEM.medium)
            } finally {
              cold.close()
            }
          },
        },
        {
          name: 'check',
          weight: 1,
          run: (tickets) => reader.check(pick(tickets, random) as SailPointTicket),
        },
        {
          name: 'wait',
          weight: 1,
          run: (tickets) =>
            waitForOutcome(reader, pick(tickets, random) as SailPointTicket, {
              timeoutMs: READ_TIMEOUT_MS,
              clock,
            }),
        },
      ],
    }
    const figures = await runSoak(harness, proxy, random, errorsMet)
    for (const credential of proxy.captured) scanner.plant(credential)
    const inspection = sim.inspect()
    reportFigures('soak: SailPoint', {
      ...summarise(figures),
      tokensIssued: inspection.tokensIssued,
      outbox: inspection.outbox.length,
      credentialsCaptured: proxy.captured.size,
    })
    expectSoakHeld(figures, inspection.outbox.length)
  }, 120_000)
})
