import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// The examples are programs a user copies; each runs against the simulators when no vendor
// settings are in the environment. Running them here keeps them working, not only compiling.
const VENDOR_VARIABLES = /^(APPLE_|SAIL_)/

describe('examples', () => {
  const saved = { ...process.env }
  let logs: string[]

  beforeEach(() => {
    for (const name of Object.keys(process.env)) {
      if (VENDOR_VARIABLES.test(name)) Reflect.deleteProperty(process.env, name)
    }
    logs = []
    const record = (...args: unknown[]): void => void logs.push(args.map(String).join(' '))
    vi.spyOn(console, 'log').mockImplementation(record)
    vi.spyOn(console, 'error').mockImplementation(record)
    vi.spyOn(console, 'warn').mockImplementation(record)
    process.exitCode = undefined
  })

  afterEach(() => {
    vi.restoreAllMocks()
    process.env = { ...saved }
    process.exitCode = undefined
  })

  it('apple-test.ts confirms delivery on the simulator', async () => {
    await import('../examples/apple-test.js')
    expect(process.exitCode).toBeUndefined()
    expect(logs.join('\n')).toMatch(/^Delivered: Apple's TEST notification /m)
  })

  it('sailpoint-test.ts is accepted and shows the outbox', async () => {
    await import('../examples/sailpoint-test.js')
    expect(process.exitCode).toBeUndefined()
    expect(logs.join('\n')).toContain('The simulator\'s outbox: "You have 4 tasks waiting')
  })

  it('github-test.ts pings the hook and finds the delivery in the log', async () => {
    await import('../examples/github-test.js')
    expect(process.exitCode).toBeUndefined()
    expect(logs.join('\n')).toMatch(/^received ping .+, signature verified$/m)
    expect(logs.join('\n')).toMatch(/^GitHub delivered the ping to the hook's URL: HTTP 200/m)
  })

  it('run-all.ts reports every vendor', async () => {
    await import('../examples/run-all.js')
    expect(process.exitCode).toBeUndefined()
    expect(logs.join('\n')).toContain('Every vendor passed.')
  })

  it('express-receiver.ts receives and verifies a notification', async () => {
    await import('../examples/express-receiver.js')
    expect(logs.join('\n')).toMatch(/^Apple says: delivered; this server received \S+$/m)
  })
})
