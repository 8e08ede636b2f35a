import { createAppleTester } from '@notiprobe/apple'
import { Transport, type RequestSpec } from '@notiprobe/core/adapter'
import { createSailPointTester } from '@notiprobe/sailpoint'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { readRecentHistory, testerOptions } from './apple-helpers.js'
import { startEverySimulator, type EverySimulator } from './every-simulator.js'
import { repoTester } from './github-helpers.js'
import { WORK_ITEM } from './sailpoint-helpers.js'

/**
 * Which answers each adapter streams: the pages of a long read go to the streamed reader (memory
 * flat however many are read: the bench's history rows), every other answer is read whole.
 */
let simulators: EverySimulator
const testers: { close(): void }[] = []

beforeAll(async () => {
  simulators = await startEverySimulator()
})

afterEach(() => {
  for (const tester of testers.splice(0)) tester.close()
  vi.restoreAllMocks()
})

afterAll(async () => {
  await simulators.close()
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
    const tester = createAppleTester({ ...testerOptions(simulators.apple), rateLimits: 'off' })
    testers.push(tester)
    await readRecentHistory(tester)
    await tester.send()
    expect(Object.fromEntries(reads)).toEqual({
      'apple.getNotificationHistory': 'stream',
      'apple.requestTestNotification': 'whole',
    })
  })

  it('sailpoint: template pages streamed, the token and the send whole', async () => {
    const reads = watchBodyReads()
    const { sailpoint } = simulators
    const tester = createSailPointTester({
      baseUrl: sailpoint.baseUrl,
      ...sailpoint.credentials,
      rateLimits: 'off',
    })
    testers.push(tester)
    await tester.listTemplates()
    await tester.send(WORK_ITEM)
    expect(Object.fromEntries(reads)).toEqual({
      'sailpoint.fetchAccessToken': 'whole',
      'sailpoint.listTemplates': 'stream',
      'sailpoint.sendTestNotification': 'whole',
    })
  })

  it('github: delivery pages streamed, the ping whole', async () => {
    const reads = watchBodyReads()
    const { github } = simulators
    const hook = github.createHook({
      target: { owner: 'octo', repo: 'hello' },
      url: 'http://127.0.0.1:9/hook',
    })
    const tester = repoTester(github, hook.id)
    testers.push(tester)
    for await (const delivery of tester.listDeliveries()) expect(delivery).toBeDefined()
    await tester.send()
    expect(Object.fromEntries(reads)).toEqual({
      'github.listDeliveries': 'stream',
      'github.ping': 'whole',
    })
  })
})
