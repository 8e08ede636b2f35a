import { NotificationTestError } from '@notiprobe/core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createAppleTester,
  type AppleNotificationHistoryRecord,
  type AppleTester,
} from '../src/index.js'
import { makeKey, testerOptions } from './helpers/keys.js'
import { sendJson, startLocalServer, type LocalServer } from './helpers/local-server.js'
import { FakeClock } from '@notiprobe/core/testing'

const DAY = 86_400_000
const clock = new FakeClock({ start: Date.parse('2030-06-01T00:00:00Z') })
const now = clock.now()
let server: LocalServer | undefined
let tester: AppleTester | undefined

afterEach(async () => {
  tester?.close()
  await server?.close()
  server = undefined
})

function make(environment: 'Sandbox' | 'Production' = 'Sandbox', baseUrl?: string): AppleTester {
  tester = createAppleTester({
    ...testerOptions(makeKey()),
    environment,
    appAppleId: 1,
    clock,
    rateLimits: 'off',
    baseUrl,
  })
  return tester
}

function invalid(
  request: Record<string, unknown>,
  environment: 'Sandbox' | 'Production' = 'Sandbox',
): string {
  try {
    make(environment).notificationHistory(request as never)
  } catch (error) {
    expect(error).toBeInstanceOf(NotificationTestError)
    expect((error as NotificationTestError).kind).toBe('invalid_input')
    return (error as NotificationTestError).message
  }
  throw new Error('expected the request to be refused')
}

async function collect(
  iterator: AsyncIterable<AppleNotificationHistoryRecord>,
): Promise<AppleNotificationHistoryRecord[]> {
  const records: AppleNotificationHistoryRecord[] = []
  for await (const record of iterator) records.push(record)
  return records
}

const record = (n: number) => ({
  signedPayload: `payload-${n}`,
  sendAttempts: [{ attemptDate: now - n, sendAttemptResult: 'SUCCESS' }],
})

describe('notificationHistory request checks', () => {
  it('needs both dates', () => {
    expect(invalid({})).toBe(
      'Invalid notification history request: startDate: is required (a Date or a time in epoch milliseconds); endDate: is required (a Date or a time in epoch milliseconds)',
    )
    expect(invalid({ startDate: '2030-05-01', endDate: now })).toBe(
      'Invalid notification history request: startDate: expected a Date or a time in epoch milliseconds',
    )
  })

  it('keeps to 30 days in Sandbox and 180 in Production', () => {
    expect(invalid({ startDate: now - 31 * DAY, endDate: now })).toBe(
      'Invalid notification history request: startDate: is more than 30 days ago; Apple keeps notification history for 180 days in Production and 30 in Sandbox, so in Sandbox start at 2030-05-02T00:00:00.000Z or later',
    )
    expect(invalid({ startDate: now - 181 * DAY, endDate: now }, 'Production')).toBe(
      'Invalid notification history request: startDate: is more than 180 days ago; Apple keeps notification history for 180 days in Production and 30 in Sandbox, so in Production start at 2029-12-03T00:00:00.000Z or later',
    )
    expect(() =>
      make('Production').notificationHistory({ startDate: now - 179 * DAY, endDate: now }),
    ).not.toThrow()
  })

  it('needs the start before the end, and not in the future', () => {
    expect(invalid({ startDate: now - DAY, endDate: now - DAY })).toBe(
      'Invalid notification history request: startDate: must be before endDate (start 2030-05-31T00:00:00.000Z, end 2030-05-31T00:00:00.000Z)',
    )
    expect(invalid({ startDate: new Date(now + DAY), endDate: now + 2 * DAY })).toBe(
      'Invalid notification history request: startDate: is in the future (2030-06-02T00:00:00.000Z)',
    )
  })

  it('allows one filter, and a subtype only with its type', () => {
    expect(
      invalid({
        startDate: now - DAY,
        endDate: now,
        transactionId: '2000000000000001',
        notificationType: 'DID_RENEW',
      }),
    ).toBe(
      'Invalid notification history request: transactionId: cannot be combined with notificationType; filter by one or the other',
    )
    expect(
      invalid({ startDate: now - DAY, endDate: now, notificationSubtype: 'INITIAL_BUY' }),
    ).toBe('Invalid notification history request: notificationSubtype: needs notificationType')
    expect(
      invalid({
        startDate: now - DAY,
        endDate: now,
        notificationType: 'did renew',
        transactionId: 'abc',
      }),
    ).toBe(
      'Invalid notification history request: notificationType: expected a notification type such as DID_RENEW or TEST; transactionId: expected a transaction id, a string of digits',
    )
  })

  it('takes no pagination token from the caller', () => {
    expect(invalid({ startDate: now - DAY, endDate: now, paginationToken: 'abc' })).toBe(
      'Invalid notification history request: Unrecognized key: "paginationToken"',
    )
  })
})

describe('notificationHistory iteration', () => {
  it('yields every record of every page, with the same body and the token only from the second page', async () => {
    server = await startLocalServer((request, res) => {
      const token = new URL(request.url, 'http://x').searchParams.get('paginationToken')
      if (token === null)
        return sendJson(res, 200, {
          notificationHistory: [record(1), record(2)],
          hasMore: true,
          paginationToken: 'p2',
        })
      if (token === 'p2')
        return sendJson(res, 200, {
          notificationHistory: [record(3)],
          hasMore: true,
          paginationToken: 'p3',
        })
      return sendJson(res, 200, { notificationHistory: [], hasMore: false, paginationToken: 'p4' })
    })
    const request = {
      startDate: new Date(now - DAY),
      endDate: now,
      notificationType: 'TEST',
      onlyFailures: true,
    }
    const records = await collect(make('Sandbox', server.baseUrl).notificationHistory(request))
    expect(records.map((r) => r.signedPayload)).toEqual(['payload-1', 'payload-2', 'payload-3'])
    expect(server.received.map((r) => r.url)).toEqual([
      '/inApps/v1/notifications/history',
      '/inApps/v1/notifications/history?paginationToken=p2',
      '/inApps/v1/notifications/history?paginationToken=p3',
    ])
    for (const received of server.received) {
      expect(JSON.parse(received.body)).toEqual({
        startDate: now - DAY,
        endDate: now,
        notificationType: 'TEST',
        onlyFailures: true,
      })
    }
  })

  it('fetches a page only when the caller gets there', async () => {
    server = await startLocalServer((_request, res) =>
      sendJson(res, 200, {
        notificationHistory: [record(1)],
        hasMore: true,
        paginationToken: `t${Math.random()}`,
      }),
    )
    const iterator = make('Sandbox', server.baseUrl).notificationHistory({
      startDate: now - DAY,
      endDate: now,
    })
    expect(server.received).toHaveLength(0)
    await iterator.next()
    await iterator.next()
    expect(server.received).toHaveLength(2)
    await iterator.return?.(undefined)
  })

  it('says to restart when the pagination token expired', async () => {
    server = await startLocalServer((request, res) =>
      request.url.includes('paginationToken')
        ? sendJson(res, 400, {
            errorCode: 4000017,
            errorMessage: 'Invalid request. The pagination token is expired.',
          })
        : sendJson(res, 200, {
            notificationHistory: [record(1), record(2)],
            hasMore: true,
            paginationToken: 'p2',
          }),
    )
    const error = await collect(
      make('Sandbox', server.baseUrl).notificationHistory({ startDate: now - DAY, endDate: now }),
    ).then(
      () => undefined,
      (e: unknown) => e as NotificationTestError,
    )
    expect(error).toMatchObject({
      kind: 'invalid_input',
      vendorCode: 4000017,
      httpStatus: 400,
      retryable: false,
    })
    expect(error?.message).toBe(
      'Notification history stopped: Apple error 4000017 PaginationTokenExpired after 1 page(s) and 2 record(s). Restart the iteration: call notificationHistory() again with the same request (the records already read will come again).',
    )
  })

  it('refuses a page that promises more without a new token', async () => {
    server = await startLocalServer((_request, res) =>
      sendJson(res, 200, { notificationHistory: [], hasMore: true, paginationToken: 'same' }),
    )
    await expect(
      collect(
        make('Sandbox', server.baseUrl).notificationHistory({ startDate: now - DAY, endDate: now }),
      ),
    ).rejects.toThrow(
      'Reading the Apple notification history failed: Apple said more records follow page 2 but gave a pagination token it had already given: the history would never end.',
    )
  })
})
