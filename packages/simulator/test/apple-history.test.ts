import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startAppleSimulator, type AppleSimulator } from '../src/apple/index.js'
import {
  appleJwt,
  callApple,
  decodeJws,
  eventually,
  startReceiver,
  type AppleCall,
} from './apple-helpers.js'

const HISTORY = '/inApps/v1/notifications/history'
const HOUR = 3_600_000
const DAY = 24 * HOUR

interface HistoryBody {
  notificationHistory: {
    signedPayload: string
    sendAttempts: { attemptDate: number; sendAttemptResult: string }[]
  }[]
  hasMore: boolean
  paginationToken?: string
}

describe('Apple simulator: notification history', () => {
  let clock: number
  let sim: AppleSimulator

  const history = (body: unknown, paginationToken?: string): Promise<AppleCall> =>
    callApple(
      sim,
      'POST',
      paginationToken === undefined
        ? HISTORY
        : `${HISTORY}?paginationToken=${encodeURIComponent(paginationToken)}`,
      { body, nowS: Math.floor(clock / 1000) },
    )

  /** Walks every page, checking the page size and the token chain. */
  async function walk(body: unknown): Promise<HistoryBody['notificationHistory']> {
    const all: HistoryBody['notificationHistory'] = []
    let token: string | undefined
    for (;;) {
      const response = await history(body, token)
      expect(response.status).toBe(200)
      const page = response.json as HistoryBody
      expect(page.notificationHistory.length).toBeLessThanOrEqual(20)
      all.push(...page.notificationHistory)
      if (!page.hasMore) {
        expect(page.paginationToken).toBeUndefined()
        return all
      }
      expect(page.notificationHistory).toHaveLength(20)
      token = page.paginationToken
    }
  }

  beforeEach(async () => {
    clock = Date.now()
    sim = await startAppleSimulator({ rateLimits: 'off', now: () => clock })
  })
  afterEach(() => sim.close())

  const invalid: [string, unknown, number][] = [
    ['no dates', { startDate: undefined, endDate: undefined }, 4000015],
    ['a start date that is not a number', { startDate: '1' }, 4000015],
    ['a start date in seconds as a float', { startDate: 1.5 }, 4000015],
    ['no end date', { endDate: undefined }, 4000016],
    ['a notification type that is not an upper-case name', { notificationType: 'nope' }, 4000018],
    ['a notification type that is not a string', { notificationType: 7 }, 4000018],
    [
      'a subtype its type never has',
      { notificationType: 'TEST', notificationSubtype: 'SUMMARY' },
      4000018,
    ],
    ['a subtype without its type', { notificationSubtype: 'INITIAL_BUY' }, 4000000],
    [
      'transactionId with notificationType',
      { transactionId: '1', notificationType: 'TEST' },
      4000019,
    ],
    ['a transactionId that is not digits', { transactionId: 'abc' }, 4000006],
    ['onlyFailures that is not a boolean', { onlyFailures: 'yes' }, 4000000],
  ]

  it.each(invalid)('refuses %s', async (_name, fields, errorCode) => {
    const dates = { startDate: clock - HOUR, endDate: clock }
    const response = await history({ ...dates, ...(fields as object) })
    expect(response.status).toBe(400)
    expect(response.json).toEqual({ errorCode, errorMessage: expect.any(String) as string })
  })

  it('refuses a start after (or equal to) the end, and a start beyond the retention window', async () => {
    expect((await history({ startDate: clock, endDate: clock - 1 })).json).toMatchObject({
      errorCode: 4000013,
    })
    expect((await history({ startDate: clock - 1, endDate: clock - 1 })).json).toMatchObject({
      errorCode: 4000013,
    })
    expect((await history({ startDate: clock - 31 * DAY, endDate: clock })).json).toMatchObject({
      errorCode: 4000012,
    })
    expect((await history({ startDate: clock - 29 * DAY, endDate: clock })).status).toBe(200)
  })

  it('reaches back 180 days in production', async () => {
    const production = await startAppleSimulator({
      environment: 'Production',
      rateLimits: 'off',
      now: () => clock,
    })
    try {
      const call = (startDate: number): Promise<AppleCall> =>
        callApple(production, 'POST', HISTORY, {
          body: { startDate, endDate: clock },
          nowS: Math.floor(clock / 1000),
        })
      expect((await call(clock - 179 * DAY)).status).toBe(200)
      expect((await call(clock - 181 * DAY)).json).toMatchObject({ errorCode: 4000012 })
    } finally {
      await production.close()
    }
  })

  it('refuses a body that is not JSON with 4000000', async () => {
    const response = await fetch(`${sim.baseUrl}${HISTORY}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await appleJwt(sim, { nowS: Math.floor(clock / 1000) })}`,
      },
      body: '{not json',
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ errorCode: 4000000 })
  })

  it('pages by 20, oldest first, with a token chain, and clamps a future end date', async () => {
    const seeded = sim.seedHistory({ count: 45, startDate: clock - HOUR, endDate: clock - 1000 })
    expect(seeded).toMatchObject({
      count: 45,
      notificationType: 'SUBSCRIBED',
      sendAttemptResult: 'SUCCESS',
    })
    const items = await walk({ startDate: clock - 2 * HOUR, endDate: clock + DAY })
    expect(items).toHaveLength(45)
    const dates = items.map((item) => item.sendAttempts[0]?.attemptDate ?? 0)
    expect([...dates].sort((a, b) => a - b)).toEqual(dates)
    const { header, payload } = decodeJws(items[0]?.signedPayload ?? '')
    expect(header.x5c).toHaveLength(3)
    expect(payload).toMatchObject({
      notificationType: 'SUBSCRIBED',
      version: '2.0',
      data: { bundleId: 'com.example.notiprobe', environment: 'Sandbox' },
    })
  })

  it('filters by date range, type, subtype, transaction and failures', async () => {
    const renewals = sim.seedHistory({
      count: 30,
      startDate: clock - 2 * HOUR,
      endDate: clock - HOUR,
      notificationType: 'DID_RENEW',
      subtype: 'BILLING_RECOVERY',
    })
    sim.seedHistory({
      count: 7,
      startDate: clock - 50 * 60_000,
      endDate: clock - 40 * 60_000,
      notificationType: 'EXPIRED',
      subtype: 'VOLUNTARY',
      sendAttemptResult: 'TIMED_OUT',
      transactionId: '2000000000000042',
    })
    const range = { startDate: clock - 3 * HOUR, endDate: clock }
    expect(await walk(range)).toHaveLength(37)
    // The 7 are spaced 100 s apart from -50 min: -45 min is the 4th, inclusive.
    expect(await walk({ startDate: clock - 45 * 60_000, endDate: clock })).toHaveLength(4)
    expect(await walk({ ...range, notificationType: 'DID_RENEW' })).toHaveLength(30)
    expect(
      await walk({
        ...range,
        notificationType: 'DID_RENEW',
        notificationSubtype: 'BILLING_RECOVERY',
      }),
    ).toHaveLength(30)
    expect(
      await walk({ ...range, notificationType: 'EXPIRED', notificationSubtype: 'BILLING_RETRY' }),
    ).toHaveLength(0)
    expect(await walk({ ...range, transactionId: renewals.transactionId })).toHaveLength(30)
    const failures = await walk({ ...range, onlyFailures: true })
    expect(failures).toHaveLength(7)
    expect(failures[0]?.sendAttempts[0]?.sendAttemptResult).toBe('TIMED_OUT')
    const unknown = await history({ ...range, transactionId: '999' })
    expect(unknown.status).toBe(404)
    expect(unknown.json).toMatchObject({ errorCode: 4040010 })
  })

  it('includes the TEST notifications it sent, failed ones under onlyFailures', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(500).end())
    try {
      sim.setNotificationUrl(receiver.url)
      const nowS = Math.floor(clock / 1000)
      await callApple(sim, 'POST', '/inApps/v1/notifications/test', { nowS })
      await eventually(() => (sim.inspect().history.sent === 1 ? true : undefined))
      receiver.setHandler((_req, res) => res.writeHead(200).end())
      clock += 1
      await callApple(sim, 'POST', '/inApps/v1/notifications/test', { nowS })
      await eventually(() =>
        sim.inspect().testNotifications.every((t) => t.state !== 'pending') ? true : undefined,
      )
      clock += 1
      const range = { startDate: clock - HOUR, endDate: clock }
      const all = await walk({ ...range, notificationType: 'TEST' })
      expect(all.map((item) => item.sendAttempts.map((a) => a.sendAttemptResult))).toEqual([
        ['UNSUCCESSFUL_HTTP_RESPONSE_CODE'],
        ['SUCCESS'],
      ])
      expect(decodeJws(all[0]?.signedPayload ?? '').payload.notificationType).toBe('TEST')
      const failed = await walk({ ...range, onlyFailures: true })
      expect(failed).toHaveLength(1)
    } finally {
      await receiver.close()
    }
  })

  it('takes the newer types and any upper-case type it does not know, with any upper-case subtype', async () => {
    const range = { startDate: clock - HOUR, endDate: clock }
    for (const notificationType of [
      'METADATA_UPDATE',
      'MIGRATION',
      'PRICE_CHANGE',
      'NEW_IN_2027',
    ]) {
      const answer = await history({
        ...range,
        notificationType,
        notificationSubtype: 'SOME_SUBTYPE',
      })
      expect(answer.status).toBe(200)
      expect(answer.json).toMatchObject({ notificationHistory: [], hasMore: false })
    }
  })

  it('lists the notifications sendNotification delivered, by type and subtype', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(200).end())
    try {
      sim.setNotificationUrl(receiver.url)
      await sim.sendNotification({ notificationType: 'RENEWAL_EXTENSION', subtype: 'SUMMARY' })
      await sim.sendNotification({ notificationType: 'RESCIND_CONSENT' })
      clock += 1
      const range = { startDate: clock - HOUR, endDate: clock }
      const summaries = await walk({
        ...range,
        notificationType: 'RENEWAL_EXTENSION',
        notificationSubtype: 'SUMMARY',
      })
      expect(summaries).toHaveLength(1)
      expect(decodeJws(summaries[0]?.signedPayload ?? '').payload).toMatchObject({
        notificationType: 'RENEWAL_EXTENSION',
        subtype: 'SUMMARY',
      })
      expect(await walk({ ...range, notificationType: 'RESCIND_CONSENT' })).toHaveLength(1)
      expect(receiver.received).toHaveLength(2)
    } finally {
      await receiver.close()
    }
  })

  it('refuses a token with another body, from another simulator, edited, or expired', async () => {
    sim.seedHistory({ count: 25, startDate: clock - HOUR, endDate: clock - 1 })
    const body = { startDate: clock - 2 * HOUR, endDate: clock }
    const first = (await history(body)).json as HistoryBody
    expect(first.hasMore).toBe(true)
    const token = first.paginationToken ?? ''

    const otherBody = await history(
      { ...body, onlyFailures: false, startDate: body.startDate + 1 },
      token,
    )
    expect(otherBody.json).toMatchObject({ errorCode: 4000014 })
    // One character in the middle, to another of the same alphabet: a changed last character
    // may only touch base64's unused low bits, and 'xx' may be what the token already ends with.
    const middle = Math.floor(token.length / 2)
    const swapped = token[middle] === 'A' ? 'B' : 'A'
    const edited = await history(
      body,
      `${token.slice(0, middle)}${swapped}${token.slice(middle + 1)}`,
    )
    expect(edited.json).toMatchObject({ errorCode: 4000014 })
    expect((await history(body, 'garbage')).json).toMatchObject({ errorCode: 4000014 })

    const other = await startAppleSimulator({ rateLimits: 'off', now: () => clock })
    try {
      const foreign = await callApple(other, 'POST', `${HISTORY}?paginationToken=${token}`, {
        body,
        nowS: Math.floor(clock / 1000),
      })
      expect(foreign.status).toBe(400)
      expect(foreign.json).toMatchObject({ errorCode: 4000014 })
    } finally {
      await other.close()
    }

    expect((await history(body, token)).status).toBe(200)
    clock += HOUR + 1
    const expired = await history(body, token)
    expect(expired.status).toBe(400)
    expect(expired.json).toMatchObject({ errorCode: 4000017 })
  })

  it('serves 100 000 seeded records cheaply', async () => {
    const started = performance.now()
    sim.seedHistory({ count: 100_000, startDate: clock - 20 * DAY, endDate: clock - 1 })
    expect(sim.inspect().history.seeded).toBe(100_000)
    const body = { startDate: clock - 29 * DAY, endDate: clock }
    let token: string | undefined
    let seen = 0
    for (let page = 0; page < 50; page++) {
      const response = (await history(body, token)).json as HistoryBody
      seen += response.notificationHistory.length
      expect(response.hasMore).toBe(true)
      token = response.paginationToken
    }
    expect(seen).toBe(1000)
    // A window late in the range still starts at the right record (binary search, no scan).
    const tail = (await history({ startDate: clock - 1000, endDate: clock })).json as HistoryBody
    expect(tail.notificationHistory).toHaveLength(1)
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('rejects bad seed options', () => {
    expect(() => sim.seedHistory({ count: 0 })).toThrow(/invalid seedHistory options/)
    expect(() =>
      sim.seedHistory({ count: 1, notificationType: 'TEST', subtype: 'SUMMARY' }),
    ).toThrow('subtype SUMMARY does not belong to TEST')
  })
})
