import { isNotificationTestError } from '@notiprobe/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createSailPointTester, type SailPointTester } from '../src/index.js'

/**
 * Input JSON cannot show (a BigInt, a Symbol, an object whose toJSON throws) is still refused with
 * a NotificationTestError naming the field; describing it must not throw a raw TypeError.
 */

let tester: SailPointTester | undefined
afterEach(() => tester?.close())

function newTester(): SailPointTester {
  tester = createSailPointTester({
    baseUrl: 'http://127.0.0.1:9',
    clientId: 'client',
    clientSecret: 'secret-never-used',
    apiVersion: 'v1',
  })
  return tester
}

const throwingToJson = {
  toJSON(): never {
    throw new Error('boom')
  },
}

async function refusal(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call()
  } catch (error) {
    return error
  }
  throw new Error('expected a refusal')
}

describe('values that JSON cannot show', () => {
  it.each([
    ['a BigInt', 1n, 'a bigint'],
    ['a Symbol', Symbol('s'), 'a symbol'],
    ['an object whose toJSON throws', throwingToJson, 'an object'],
  ])(
    "check() refuses %s as the ticket's vendor with a typed error",
    async (_name, vendor, shown) => {
      const error = await refusal(() =>
        newTester().check({ vendor, id: 'x', requestedAt: 1, details: {} } as never),
      )
      expect(isNotificationTestError(error)).toBe(true)
      expect(error).toMatchObject({ kind: 'invalid_input' })
      expect((error as Error).message).toContain(`vendor: must be 'sailpoint' (got ${shown})`)
    },
  )

  it.each([
    ['a BigInt', 1n, 'a bigint'],
    ['an object whose toJSON throws', throwingToJson, 'an object'],
  ])(
    'send() refuses %s as the medium with a typed error, before any request',
    async (_name, medium, shown) => {
      const error = await refusal(() => newTester().send({ key: 'k', medium } as never))
      expect(isNotificationTestError(error)).toBe(true)
      expect(error).toMatchObject({ kind: 'invalid_input' })
      expect((error as Error).message).toContain(
        `medium: must be one of EMAIL, SLACK, TEAMS (got ${shown})`,
      )
    },
  )

  it('send() refuses a context whose getter throws with a typed error naming context', async () => {
    const context = {
      get name(): never {
        throw new Error('getter')
      },
    }
    const error = await refusal(() => newTester().send({ key: 'k', medium: 'EMAIL', context }))
    expect(isNotificationTestError(error)).toBe(true)
    expect(error).toMatchObject({ kind: 'invalid_input' })
    expect((error as Error).message).toContain(
      'context: could not be read: a getter or a Proxy in it threw',
    )
  })
})
