import { createServer } from 'node:http'
import { createNotificationHandler, type AppleNotificationPayload } from '@notiprobe/apple'
import { waitForOutcome, type NotificationTestError } from '@notiprobe/core'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { closeServer, listen } from '../support/servers.js'
import { AppleWorld } from './apple-helpers.js'

const world = new AppleWorld()
afterEach(() => world.close())

/** An Express app with express.json() in front of notiprobe's handler, as a user would write it. */
async function expressReceiver(options: {
  bundleId: string
  environment: 'Sandbox' | 'Production'
  appAppleId?: number
  rootCertificates?: string[]
}) {
  const received: AppleNotificationPayload[] = []
  const refused: NotificationTestError[] = []
  const app = express()
  app.post(
    '/apple/notifications',
    express.json(),
    createNotificationHandler({
      ...options,
      onNotification: (notification) => {
        received.push(notification)
      },
      onError: (error) => refused.push(error),
    }),
  )
  const server = createServer(app)
  const base = await listen(server)
  return { url: `${base}/apple/notifications`, received, refused, close: () => closeServer(server) }
}

describe('the notification handler under Express, fed by the simulator', () => {
  it('accepts the simulator’s Production notification with its root and the right app', async () => {
    const simulator = await world.simulator({ environment: 'Production', appAppleId: 42 })
    const receiver = await expressReceiver({
      bundleId: simulator.bundleId,
      environment: 'Production',
      appAppleId: 42,
      rootCertificates: [simulator.rootCertificatePem],
    })
    try {
      simulator.setNotificationUrl(receiver.url)
      const tester = world.tester(simulator)
      const outcome = await waitForOutcome(tester, await tester.send(), { timeoutMs: 10_000 })
      expect(outcome.state).toBe('delivered')
      expect(receiver.received.map((n) => n.notificationUUID)).toEqual([
        outcome.notification?.notificationUUID,
      ])
      expect(receiver.refused).toEqual([])
    } finally {
      await receiver.close()
    }
  })

  it('refuses it for another app, and Apple records the refusal', async () => {
    const simulator = await world.simulator({ environment: 'Production', appAppleId: 42 })
    const receiver = await expressReceiver({
      bundleId: simulator.bundleId,
      environment: 'Production',
      appAppleId: 43,
      rootCertificates: [simulator.rootCertificatePem],
    })
    try {
      simulator.setNotificationUrl(receiver.url)
      const tester = world.tester(simulator)
      const outcome = await waitForOutcome(tester, await tester.send(), { timeoutMs: 10_000 })
      expect(outcome.state).toBe('failed')
      expect(outcome.attempts.map((a) => a.result)).toEqual(['UNSUCCESSFUL_HTTP_RESPONSE_CODE'])
      expect(receiver.received).toEqual([])
      expect(receiver.refused.map((e) => e.message)).toEqual([
        'Signed payload rejected: the payload is for app 42, not 43.',
      ])
    } finally {
      await receiver.close()
    }
  })

  it('refuses it without the simulator’s root', async () => {
    const simulator = await world.simulator()
    const receiver = await expressReceiver({ bundleId: simulator.bundleId, environment: 'Sandbox' })
    try {
      simulator.setNotificationUrl(receiver.url)
      const tester = world.tester(simulator)
      const outcome = await waitForOutcome(tester, await tester.send(), { timeoutMs: 10_000 })
      expect(outcome.state).toBe('failed')
      expect(receiver.refused[0]?.kind).toBe('verification')
    } finally {
      await receiver.close()
    }
  })
})
