import { describe, expect, it } from 'vitest'
import { payloadsIn, UnreadableInput } from '../src/commands/apple-verify-input.js'

const JWS = 'eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ.c2ln'

describe('payloadsIn: what apple verify reads', () => {
  it('a JWS, a notification body, pretty-printed or not', () => {
    expect(payloadsIn(`  ${JWS}\n`, 'f')).toEqual([{ source: 'f', signedPayload: JWS }])
    expect(payloadsIn(JSON.stringify({ signedPayload: JWS }, null, 2), 'f')).toEqual([
      { source: 'f', signedPayload: JWS },
    ])
  })

  it('an apple status / test --wait result, and the Apple results of a demo or run report', () => {
    const result = {
      vendor: 'apple',
      name: 'apple',
      state: 'delivered',
      timings: {},
      details: { raw: { signedPayload: JWS } },
    }
    expect(payloadsIn(JSON.stringify(result), 'stdin')).toEqual([
      { source: 'stdin', signedPayload: JWS },
    ])
    const report = { ok: true, results: [result, { vendor: 'sailpoint', name: 's', details: {} }] }
    expect(payloadsIn(JSON.stringify(report), 'stdin')).toEqual([
      { source: 'stdin, result apple', signedPayload: JWS },
    ])
  })

  it('NDJSON: history and listen lines, each named by its line and notification', () => {
    const text = [
      JSON.stringify({ type: 'listening', url: 'http://127.0.0.1:1/' }),
      JSON.stringify({
        type: 'notification',
        signedPayload: JWS,
        notification: { notificationUUID: 'u-1' },
      }),
      '',
      JSON.stringify({ notificationUUID: 'u-2', signedPayload: JWS }),
      JSON.stringify({ type: 'refused', error: { message: 'bad signature' } }),
    ].join('\n')
    expect(payloadsIn(text, 'stdin')).toEqual([
      { source: 'stdin, line 2 (u-1)', signedPayload: JWS },
      { source: 'stdin, line 4 (u-2)', signedPayload: JWS },
      { source: 'stdin, line 5', refused: 'refused on arrival: bad signature' },
    ])
  })

  it('refuses what it cannot read, saying where', () => {
    const refused = (text: string): string => {
      try {
        payloadsIn(text, 'stdin')
      } catch (error) {
        expect(error).toBeInstanceOf(UnreadableInput)
        return (error as Error).message
      }
      throw new Error('not refused')
    }
    expect(refused(' \n ')).toBe('stdin is empty.')
    expect(refused('{"signedPayload": ')).toBe('stdin starts like JSON but is not valid JSON.')
    expect(refused(`{"signedPayload":"${JWS}"}\n{oops}`)).toBe(
      'stdin, line 2 is not valid JSON (NDJSON holds one JSON document a line).',
    )
    expect(refused('["a"]')).toBe('stdin is JSON array, not an object.')
    expect(refused('{"error":{"message":"no key"}}')).toContain(
      'a notiprobe error report, not a notification: no key',
    )
    expect(refused('{"vendor":"apple","state":"pending","timings":{}}')).toContain(
      'in state pending with no signed payload',
    )
  })

  it('reads a long history in one pass: 20 000 lines', () => {
    const line = JSON.stringify({ notificationUUID: 'u', signedPayload: JWS })
    const items = payloadsIn(Array.from({ length: 20_000 }, () => line).join('\n'), 'stdin')
    expect(items).toHaveLength(20_000)
    expect(items.at(-1)).toEqual({ source: 'stdin, line 20000 (u)', signedPayload: JWS })
  })
})
