import { inspect } from 'node:util'
import { createAppleTester } from '@notiprobe/apple'
import type { AdapterEvent } from '@notiprobe/core'
import { createGitHubTester } from '@notiprobe/github'
import { createSailPointTester } from '@notiprobe/sailpoint'
import type { AppleSimulator, GitHubSimulator, SailPointSimulator } from '@notiprobe/simulator'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { readRecentHistory } from './apple-helpers.js'
import { startEverySimulator, type EverySimulator } from './every-simulator.js'

/** The kit's onEvent hook, taken the same way by every adapter, seen against each simulator. */
let simulators: EverySimulator
let apple: AppleSimulator
let sailpoint: SailPointSimulator
let github: GitHubSimulator
const testers: { close(): void }[] = []

beforeAll(async () => {
  simulators = await startEverySimulator()
  ;({ apple, sailpoint, github } = simulators)
})

afterEach(() => {
  for (const tester of testers.splice(0)) tester.close()
})

afterAll(async () => {
  await simulators.close()
})

/** No event may hold any of these, however it is printed. */
function expectNoSecrets(events: readonly AdapterEvent[], secrets: readonly string[]): void {
  const shown = `${JSON.stringify(events)}\n${inspect(events, { depth: 10 })}`
  for (const secret of secrets) expect(shown).not.toContain(secret)
  // No JWT (Apple's per-request token, GitHub App's) and no Authorization value either.
  expect(shown).not.toMatch(/eyJ[\w-]+\.|Bearer|Authorization/i)
}

const host = (url: string): string => new URL(url).host

describe('onEvent, the same in every adapter', () => {
  it('apple: the connection, then the retry of a 503 with its reason', async () => {
    apple.faults.set('getNotificationHistory', { kind: 'status', status: 503, times: 1 })
    const events: AdapterEvent[] = []
    const tester = createAppleTester({
      issuerId: apple.credentials.issuerId,
      keyId: apple.credentials.keyId,
      privateKey: apple.credentials.privateKeyPem,
      bundleId: apple.bundleId,
      environment: 'Production',
      appAppleId: apple.appAppleId,
      baseUrl: apple.baseUrl,
      rateLimits: 'off',
      retry: { baseDelayMs: 1 },
      onEvent: (event) => events.push(event),
    })
    testers.push(tester)
    await readRecentHistory(tester)
    expect(events.map((e) => e.type)).toEqual(['connecting', 'retry'])
    expect(events[0]).toMatchObject({ vendor: 'apple', host: host(apple.baseUrl) })
    expect(events[1]).toMatchObject({
      vendor: 'apple',
      operation: 'apple.getNotificationHistory',
      attempt: 1,
      reason: { kind: 'vendor_error', httpStatus: 503 },
    })
    expectNoSecrets(
      events,
      apple.credentials.privateKeyPem.split('\n').filter((l) => l.length > 20),
    )
  })

  it('sailpoint: the token endpoint and the API each announce their connection and retries', async () => {
    sailpoint.faults.set('listTemplates', { kind: 'status', status: 503, times: 1 })
    const events: AdapterEvent[] = []
    const tester = createSailPointTester({
      baseUrl: sailpoint.baseUrl,
      ...sailpoint.credentials,
      rateLimits: 'off',
      retry: { baseDelayMs: 1 },
      onEvent: (event) => events.push(event),
    })
    testers.push(tester)
    await tester.listTemplates()
    expect(events.filter((e) => e.type === 'connecting')).toHaveLength(2)
    expect(events.find((e) => e.type === 'retry')).toMatchObject({
      vendor: 'sailpoint',
      reason: { kind: 'vendor_error', httpStatus: 503 },
    })
    expectNoSecrets(events, [sailpoint.credentials.clientSecret])
  })

  it('github: the connection, then the retry of a 502', async () => {
    github.faults.set('listDeliveries', { kind: 'status', status: 502, times: 1 })
    const hook = github.createHook({
      target: { owner: 'octo', repo: 'events' },
      url: 'http://127.0.0.1:9/hook',
    })
    const events: AdapterEvent[] = []
    const tester = createGitHubTester({
      baseUrl: github.baseUrl,
      target: { owner: 'octo', repo: 'events', hookId: hook.id },
      auth: { token: github.credentials.token },
      rateLimits: 'off',
      retry: { baseDelayMs: 1 },
      onEvent: (event) => events.push(event),
    })
    testers.push(tester)
    for await (const delivery of tester.listDeliveries()) expect(delivery).toBeDefined()
    expect(events.map((e) => e.type)).toEqual(['connecting', 'retry'])
    expect(events[1]).toMatchObject({ vendor: 'github', reason: { httpStatus: 502 } })
    expectNoSecrets(events, [github.credentials.token])
  })

  it('a listener that is not a function is refused, naming the option', () => {
    expect(() =>
      createSailPointTester({
        baseUrl: sailpoint.baseUrl,
        ...sailpoint.credentials,
        onEvent: 'log' as never,
      }),
    ).toThrow(/onEvent: expected a function that takes an event/)
  })
})
