import { createAppleTester } from '@notiprobe/apple'
import { Transport, type RequestSpec } from '@notiprobe/core/adapter'
import { createGitHubTester } from '@notiprobe/github'
import { createSailPointTester } from '@notiprobe/sailpoint'
import {
  startAppleSimulator,
  startGitHubSimulator,
  startSailPointSimulator,
  type AppleSimulator,
  type GitHubSimulator,
  type SailPointSimulator,
} from '@notiprobe/simulator'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'

/**
 * Which answers each adapter streams: the pages of a long read go to the streamed reader (memory
 * flat however many are read: the bench's history rows), every other answer is read whole.
 */
let apple: AppleSimulator
let sailpoint: SailPointSimulator
let github: GitHubSimulator
const testers: { close(): void }[] = []

beforeAll(async () => {
  ;[apple, sailpoint, github] = await Promise.all([
    startAppleSimulator({
      rateLimits: 'off',
      environment: 'Production',
      notificationUrl: 'http://127.0.0.1:9/notifications',
    }),
    startSailPointSimulator({ rateLimits: 'off' }),
    startGitHubSimulator({ rateLimits: 'off' }),
  ])
})

afterEach(() => {
  for (const tester of testers.splice(0)) tester.close()
  vi.restoreAllMocks()
})

afterAll(async () => {
  await Promise.all([apple.close(), sailpoint.close(), github.close()])
})

/** Each operation the transport was asked for, with how its answer was to be read. */
function watchBodyReads(): Map<string, string> {
  const reads = new Map<string, string>()
  const request = Transport.prototype.request
  vi.spyOn(Transport.prototype, 'request').mockImplementation(function (
    this: Transport,
    spec: RequestSpec,
  ) {
    reads.set(spec.operation.name, spec.bodyRead ?? 'whole')
    return request.call(this, spec)
  })
  return reads
}

describe('how answers are read', () => {
  it('apple: history pages streamed, the test notification whole', async () => {
    const reads = watchBodyReads()
    const tester = createAppleTester({
      issuerId: apple.credentials.issuerId,
      keyId: apple.credentials.keyId,
      privateKey: apple.credentials.privateKeyPem,
      bundleId: apple.bundleId,
      environment: 'Production',
      appAppleId: apple.appAppleId,
      baseUrl: apple.baseUrl,
      rateLimits: 'off',
    })
    testers.push(tester)
    const now = Date.now()
    for await (const record of tester.notificationHistory({
      startDate: now - 60_000,
      endDate: now,
    }))
      expect(record).toBeDefined()
    await tester.send()
    expect(Object.fromEntries(reads)).toEqual({
      'apple.getNotificationHistory': 'stream',
      'apple.requestTestNotification': 'whole',
    })
  })

  it('sailpoint: template pages streamed, the token and the send whole', async () => {
    const reads = watchBodyReads()
    const tester = createSailPointTester({
      baseUrl: sailpoint.baseUrl,
      ...sailpoint.credentials,
      rateLimits: 'off',
    })
    testers.push(tester)
    await tester.listTemplates()
    await tester.send({
      key: 'cloud_manual_work_item_summary',
      medium: 'EMAIL',
      context: { numberOfPendingTasks: '4', taskTasks: 'tasks' },
    })
    expect(Object.fromEntries(reads)).toEqual({
      'sailpoint.fetchAccessToken': 'whole',
      'sailpoint.listTemplates': 'stream',
      'sailpoint.sendTestNotification': 'whole',
    })
  })

  it('github: delivery pages streamed, the ping whole', async () => {
    const reads = watchBodyReads()
    const hook = github.createHook({
      target: { owner: 'octo', repo: 'events' },
      url: 'http://127.0.0.1:9/hook',
    })
    const tester = createGitHubTester({
      baseUrl: github.baseUrl,
      target: { owner: 'octo', repo: 'events', hookId: hook.id },
      auth: { token: github.credentials.token },
      rateLimits: 'off',
    })
    testers.push(tester)
    for await (const delivery of tester.listDeliveries()) expect(delivery).toBeDefined()
    await tester.send()
    expect(Object.fromEntries(reads)).toEqual({
      'github.listDeliveries': 'stream',
      'github.ping': 'whole',
    })
  })
})
