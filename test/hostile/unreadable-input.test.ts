import { createAppleTester, appleOptionsFromEnv } from '@notiprobe/apple'
import { isNotificationTestError, type NotificationTestError } from '@notiprobe/core'
import { createGitHubTester, githubOptionsFromEnv } from '@notiprobe/github'
import { createSailPointTester, sailPointOptionsFromEnv } from '@notiprobe/sailpoint'
import { describe, expect, it } from 'vitest'
import { testerOptions } from '../../packages/apple/test/helpers/keys.js'

// Options, tickets and environments are the caller's objects: a getter or a Proxy that throws while
// one is read, or a variable that is not text, is refused as a typed error naming the field, never
// a raw Error or TypeError, and never repeating what the getter said (it may hold a secret).

const SECRET = 'secret-value-never-shown'

function refusal(call: () => unknown): NotificationTestError {
  let caught: unknown
  try {
    call()
  } catch (error) {
    caught = error
  }
  if (!isNotificationTestError(caught)) {
    throw new Error(`expected a NotificationTestError, got ${String(caught)}`)
  }
  expect(caught.message).not.toContain(SECRET)
  return caught
}

/** `options` with `field` replaced by a getter that throws an error holding a secret. */
function withThrowingGetter(options: object, field: string): object {
  const copy = Object.fromEntries(Object.entries(options).filter(([key]) => key !== field))
  return Object.defineProperty(copy, field, {
    enumerable: true,
    get(): never {
      throw new Error(`getter refused: ${SECRET}`)
    },
  })
}

/** A Proxy over `options` whose every read throws, listing its keys included. */
function throwingProxy(options: object): object {
  const fail = (): never => {
    throw new Error(`proxy refused: ${SECRET}`)
  }
  return new Proxy(options, { get: fail, ownKeys: fail, getOwnPropertyDescriptor: fail, has: fail })
}

const factories = [
  ['createAppleTester', (o: object) => createAppleTester(o as never), testerOptions(), 'bundleId'],
  [
    'createSailPointTester',
    (o: object) => createSailPointTester(o as never),
    { baseUrl: 'http://127.0.0.1:9', clientId: 'client', clientSecret: 'x', apiVersion: 'v1' },
    'clientId',
  ],
  [
    'createGitHubTester',
    (o: object) => createGitHubTester(o as never),
    {
      target: { owner: 'octo-org', repo: 'hello', hookId: 1 },
      auth: { token: 'github_pat_11AAAAAAA0example0token0value0xyz' },
    },
    'target',
  ],
] as const

describe('options that throw while read', () => {
  it.each(factories)('%s names the field whose getter threw', (_name, create, options, field) => {
    const error = refusal(() => create(withThrowingGetter(options, field)))
    expect(error.kind).toBe('config')
    expect(error.message).toContain(`${field}: could not be read (a getter or Proxy threw)`)
  })

  it.each(factories)('%s refuses a Proxy that throws on every read', (_name, create, options) => {
    const error = refusal(() => create(throwingProxy(options)))
    expect(error.kind).toBe('config')
    expect(error.message).toContain('could not be read (a getter or Proxy threw)')
  })
})

describe('a ticket that throws while read', () => {
  it('is refused by check() as invalid_input naming the field', async () => {
    const tester = createGitHubTester(factories[2][2])
    const ticket = withThrowingGetter(
      { vendor: 'github', id: 'x', requestedAt: 1, details: {} },
      'details',
    )
    const error = await tester.check(ticket as never).then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(isNotificationTestError(error)).toBe(true)
    expect(error).toMatchObject({ kind: 'invalid_input' })
    expect((error as Error).message).toContain('details: could not be read')
    expect((error as Error).message).not.toContain(SECRET)
  })
})

describe('a GitHub ticket whose vendor JSON cannot show', () => {
  const throwingToJson = {
    toJSON(): never {
      throw new Error(`toJSON refused: ${SECRET}`)
    },
  }
  it.each([
    ['a BigInt', 1n, 'a bigint'],
    ['a Symbol', Symbol('s'), 'a symbol'],
    ['an object whose toJSON throws', throwingToJson, 'an object'],
  ])('is refused by check() naming the vendor field (%s)', async (_name, vendor, shown) => {
    const tester = createGitHubTester(factories[2][2])
    const error = await tester
      .check({ vendor, id: 'x', requestedAt: 1, details: {} } as never)
      .then(
        () => undefined,
        (caught: unknown) => caught,
      )
    expect(isNotificationTestError(error)).toBe(true)
    expect(error).toMatchObject({ kind: 'invalid_input' })
    expect((error as Error).message).toContain(`vendor: must be 'github' (got ${shown})`)
  })
})

describe('an environment holding something other than text', () => {
  const readers = [
    ['appleOptionsFromEnv', appleOptionsFromEnv, 'APPLE_KEY_ID'],
    ['sailPointOptionsFromEnv', sailPointOptionsFromEnv, 'SAIL_CLIENT_ID'],
    ['githubOptionsFromEnv', githubOptionsFromEnv, 'GITHUB_TOKEN'],
  ] as const

  it.each(readers)('%s names the variable that is a number', (_name, read, variable) => {
    const error = refusal(() => read({ [variable]: 12345 } as never))
    expect(error.kind).toBe('config')
    expect(error.message).toContain(`${variable}: must be a string`)
    expect(error.message).not.toContain('12345')
  })

  it.each(readers)('%s names the variable that is an object', (_name, read, variable) => {
    const error = refusal(() => read({ [variable]: { trim: null } } as never))
    expect(error.message).toContain(`${variable}: must be a string`)
  })

  it.each(readers)('%s names the variable whose getter throws', (_name, read, variable) => {
    const error = refusal(() => read(withThrowingGetter({}, variable) as never))
    expect(error.message).toContain(`${variable}: could not be read`)
  })
})
