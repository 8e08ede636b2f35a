import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createNotificationHandler, type AppleNotificationPayload } from '../src/index.js'
import type { NotificationTestError } from '@notiprobe/core'
import { APPLE_FIXTURE, FIXTURE_OPTIONS, fixtureClock } from './helpers/fixture.js'

/**
 * Apple resends a notification (same notificationUUID) whenever it did not see a 2xx in time, and
 * says to use notificationUUID to spot duplicates. A copy of one already handled is acknowledged
 * (200) without handing it over again: a 400 would ask Apple to retry it, again and again. A copy
 * arriving while the first is still being handled gets 409, so that Apple comes back once the
 * first has succeeded or failed.
 */

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

async function listen(handler: ReturnType<typeof createNotificationHandler>): Promise<string> {
  server = createServer((req, res) => void handler(req, res))
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
}

function post(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    req.end(JSON.stringify({ signedPayload: APPLE_FIXTURE }))
  })
}

describe('createNotificationHandler and Apple resending a notification', () => {
  it('acknowledges a copy of a notification already handled, without handing it over again', async () => {
    const received: AppleNotificationPayload[] = []
    const errors: NotificationTestError[] = []
    const url = await listen(
      createNotificationHandler({
        ...FIXTURE_OPTIONS,
        clock: fixtureClock(),
        onNotification: (notification) => {
          received.push(notification)
        },
        onError: (error) => errors.push(error),
      }),
    )
    expect(await post(url)).toBe(200)
    expect(await post(url)).toBe(200)
    expect(received).toHaveLength(1)
    expect(errors).toEqual([])
  })

  it('answers 409 to a copy that arrives while the first is being handled; takes it again if that one failed', async () => {
    let release: (() => void) | undefined
    let calls = 0
    const errors: NotificationTestError[] = []
    const url = await listen(
      createNotificationHandler({
        ...FIXTURE_OPTIONS,
        clock: fixtureClock(),
        onNotification: async () => {
          calls++
          if (calls > 1) return
          await new Promise<void>((resolve) => (release = resolve))
          throw new Error('database down')
        },
        onError: (error) => errors.push(error),
      }),
    )
    const first = post(url)
    while (release === undefined) await new Promise((resolve) => setImmediate(resolve))
    expect(await post(url)).toBe(409)
    release()
    expect(await first).toBe(500)
    expect(await post(url)).toBe(200)
    expect(calls).toBe(2)
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/ refused \(HTTP 409\): .*still being handled/),
      expect.stringContaining('onNotification failed'),
    ])
  })
})
