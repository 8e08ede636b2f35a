import type { AppleNotificationHistoryRecord, AppleTester } from '@notiprobe/apple'
import { NotificationTestError } from '@notiprobe/core'
import { afterEach, describe, expect, it } from 'vitest'
import { AppleWorld, answers, failure } from './apple-helpers.js'
import { FakeClock } from '@notiprobe/core/testing'

const world = new AppleWorld()
afterEach(() => world.close())

const HOUR = 3_600_000
const DAY = 24 * HOUR

async function collect(
  iterator: AsyncIterable<AppleNotificationHistoryRecord>,
): Promise<AppleNotificationHistoryRecord[]> {
  const records: AppleNotificationHistoryRecord[] = []
  for await (const record of iterator) records.push(record)
  return records
}

function refused(tester: AppleTester, request: Record<string, unknown>): NotificationTestError {
  try {
    tester.notificationHistory(request as never)
  } catch (error) {
    expect(error).toBeInstanceOf(NotificationTestError)
    return error as NotificationTestError
  }
  throw new Error('expected the request to be refused')
}

describe('notification history against the simulator', () => {
  it('reads every record of every page (20 a page), oldest first, and each one verifies', async () => {
    const simulator = await world.simulator()
    const now = Date.now()
    // Within the last day: the simulator's signing chain is valid only from a day before it started.
    simulator.seedHistory({
      count: 45,
      startDate: now - 20 * HOUR,
      endDate: now - HOUR,
      notificationType: 'DID_RENEW',
      uniquePayloads: true,
    })
    const tester = world.tester(simulator)
    const records = await collect(
      tester.notificationHistory({ startDate: now - 7 * DAY, endDate: now }),
    )
    expect(records).toHaveLength(45)
    expect(answers(simulator, 'getNotificationHistory')).toEqual([200, 200, 200])
    const queries = simulator
      .inspect()
      .requests.filter((r) => r.endpoint === 'getNotificationHistory')
      .map((r) => r.query)
    expect(queries[0]).toBeUndefined()
    expect(queries.slice(1).every((query) => query?.startsWith('paginationToken=') === true)).toBe(
      true,
    )
    const payloads = await Promise.all(
      records.map((record) => tester.verifySignedPayload(record.signedPayload)),
    )
    expect(new Set(payloads.map((p) => p.notificationType))).toEqual(new Set(['DID_RENEW']))
    expect(new Set(payloads.map((p) => p.notificationUUID)).size).toBe(45)
    const dates = payloads.map((p) => p.signedDate)
    expect(dates).toEqual([...dates].sort((a, b) => a - b))
    expect(records.every((r) => r.sendAttempts[0]?.sendAttemptResult === 'SUCCESS')).toBe(true)
  })

  it('filters by type and subtype, by transaction and to failures only', async () => {
    const simulator = await world.simulator()
    simulator.seedHistory({ count: 25, notificationType: 'SUBSCRIBED', subtype: 'INITIAL_BUY' })
    simulator.seedHistory({
      count: 7,
      notificationType: 'SUBSCRIBED',
      subtype: 'RESUBSCRIBE',
      transactionId: '2000000000000042',
    })
    simulator.seedHistory({ count: 3, notificationType: 'EXPIRED', sendAttemptResult: 'TIMED_OUT' })
    // Seeded records run up to the moment of seeding; Apple treats a future end as now.
    const now = Date.now()
    const since = { startDate: now - 2 * DAY, endDate: now + DAY }
    const tester = world.tester(simulator)
    expect(
      await collect(tester.notificationHistory({ ...since, notificationType: 'SUBSCRIBED' })),
    ).toHaveLength(32)
    expect(
      await collect(
        tester.notificationHistory({
          ...since,
          notificationType: 'SUBSCRIBED',
          notificationSubtype: 'RESUBSCRIBE',
        }),
      ),
    ).toHaveLength(7)
    expect(
      await collect(tester.notificationHistory({ ...since, transactionId: '2000000000000042' })),
    ).toHaveLength(7)
    const failures = await collect(tester.notificationHistory({ ...since, onlyFailures: true }))
    expect(failures.map((r) => r.sendAttempts.map((a) => a.sendAttemptResult))).toEqual([
      ['TIMED_OUT'],
      ['TIMED_OUT'],
      ['TIMED_OUT'],
    ])
  })

  it('includes the test notifications Apple sent', async () => {
    const simulator = await world.simulator()
    const receiver = await world.receiver((req, res) => {
      req.resume()
      res.writeHead(200).end()
    })
    simulator.setNotificationUrl(receiver.url)
    const tester = world.tester(simulator)
    const ticket = await tester.send()
    for (
      let i = 0;
      i < 50 && simulator.inspect().testNotifications[0]?.state !== 'delivered';
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const records = await collect(
      tester.notificationHistory({
        startDate: Date.now() - DAY,
        endDate: Date.now() + DAY,
        notificationType: 'TEST',
      }),
    )
    expect(records).toHaveLength(1)
    const status = await tester.getTestNotificationStatus(ticket.id)
    expect(records[0].signedPayload).toBe(status.signedPayload)
  })

  it('checks every request before sending it', async () => {
    const simulator = await world.simulator()
    const tester = world.tester(simulator)
    const now = Date.now()
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        {},
        /^Invalid notification history request: startDate: is required .*; endDate: is required /,
      ],
      [{ startDate: now - 31 * DAY, endDate: now }, /startDate: is more than 30 days ago/],
      [{ startDate: now - DAY, endDate: now - 2 * DAY }, /startDate: must be before endDate/],
      [{ startDate: now + DAY, endDate: now + 2 * DAY }, /startDate: is in the future/],
      [
        { startDate: now - DAY, endDate: now, transactionId: '1', notificationType: 'TEST' },
        /transactionId: cannot be combined with notificationType/,
      ],
      [
        { startDate: now - DAY, endDate: now, notificationSubtype: 'UPGRADE' },
        /notificationSubtype: needs notificationType/,
      ],
      [
        { startDate: now - DAY, endDate: now, paginationToken: 'x' },
        /Unrecognized key: "paginationToken"/,
      ],
    ]
    for (const [request, message] of cases) {
      const error = refused(tester, request)
      expect(error.kind).toBe('invalid_input')
      expect(error.message).toMatch(message)
    }
    expect(answers(simulator, 'getNotificationHistory')).toEqual([])
  })

  it('reaches 180 days back in Production', async () => {
    const simulator = await world.simulator({ environment: 'Production' })
    const tester = world.tester(simulator)
    const now = Date.now()
    expect(
      await collect(tester.notificationHistory({ startDate: now - 179 * DAY, endDate: now })),
    ).toEqual([])
    expect(refused(tester, { startDate: now - 181 * DAY, endDate: now }).message).toMatch(
      /startDate: is more than 180 days ago/,
    )
  })

  it('passes Apple’s own refusals on with their codes', async () => {
    const simulator = await world.simulator()
    const tester = world.tester(simulator)
    const now = Date.now()
    // A type Apple may add later is taken, not refused (vendor-facts: never refuse an unknown
    // upper-case type): no records yet.
    const unknownType = await collect(
      tester.notificationHistory({
        startDate: now - DAY,
        endDate: now,
        notificationType: 'NOT_A_TYPE_YET',
      }),
    )
    expect(unknownType).toEqual([])
    const badSubtype = await failure(
      collect(
        tester.notificationHistory({
          startDate: now - DAY,
          endDate: now,
          notificationType: 'TEST',
          notificationSubtype: 'UPGRADE',
        }),
      ),
    )
    expect(badSubtype).toMatchObject({ vendorCode: 4000018 })
    const noTransaction = await failure(
      collect(
        tester.notificationHistory({
          startDate: now - DAY,
          endDate: now,
          transactionId: '2000000000000999',
        }),
      ),
    )
    expect(noTransaction).toMatchObject({ kind: 'not_found', vendorCode: 4040010, httpStatus: 404 })
  })

  it('says to restart when the pagination token expired', async () => {
    const clock = new FakeClock({ start: Date.now() })
    const simulator = await world.simulator({
      now: () => clock.now(),
      historyPaginationTokenTtlMs: 60_000,
    })
    simulator.seedHistory({ count: 30 })
    const tester = world.tester(simulator, { clock })
    // The deadline covers the whole iteration: long enough for the token to expire first.
    const iterator = tester.notificationHistory(
      { startDate: clock.now() - 2 * DAY, endDate: clock.now() },
      { timeoutMs: 120_000 },
    )
    for (let i = 0; i < 20; i++) expect((await iterator.next()).done).toBe(false)
    clock.advance(61_000)
    const error = await failure(iterator.next())
    expect(error).toMatchObject({ kind: 'invalid_input', vendorCode: 4000017, httpStatus: 400 })
    expect(error.message).toBe(
      'Notification history stopped: Apple error 4000017 PaginationTokenExpired after 1 page(s) and 20 record(s). Restart the iteration: call notificationHistory() again with the same request (the records already read will come again).',
    )
    // Restarting reads everything again.
    expect(
      await collect(
        tester.notificationHistory({ startDate: clock.now() - 2 * DAY, endDate: clock.now() }),
      ),
    ).toHaveLength(30)
  })

  it('retries a history page after a dropped connection or a 5xx: it only reads', async () => {
    const simulator = await world.simulator()
    simulator.seedHistory({ count: 25 })
    simulator.faults.set('getNotificationHistory', { kind: 'drop', times: 1 })
    const tester = world.tester(simulator, { clock: new FakeClock({ start: Date.now() }) })
    const now = Date.now()
    expect(
      await collect(tester.notificationHistory({ startDate: now - 2 * DAY, endDate: now })),
    ).toHaveLength(25)
    expect(answers(simulator, 'getNotificationHistory')).toEqual(['dropped', 200, 200])
  })

  it.each([
    // Apple's hourly budget (18 000 Sandbox history calls an hour): ten pages go at once.
    ['hourly', []],
    // The strict reading, 5 a second: 200 ms apart.
    ['per-second', Array.from({ length: 9 }, () => 200)],
  ] as const)('keeps within the Sandbox history limit (%s)', async (rateLimits, sleeps) => {
    const clock = new FakeClock({ start: Date.now() })
    const simulator = await world.simulator({ rateLimits, now: () => clock.now() })
    simulator.seedHistory({ count: 200, startDate: clock.now() - DAY, endDate: clock.now() - 1000 })
    const tester = world.tester(simulator, { clock, rateLimits })
    expect(
      await collect(
        tester.notificationHistory({ startDate: clock.now() - 2 * DAY, endDate: clock.now() }),
      ),
    ).toHaveLength(200)
    expect(answers(simulator, 'getNotificationHistory')).toEqual(
      Array.from({ length: 10 }, () => 200),
    )
    expect(clock.sleeps).toEqual(sleeps)
  })
})
