import { describe, expect, it } from 'vitest'
import { formatDuration, parseDuration, parsePointInTime } from '../src/duration.js'

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['2m', 120_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['7d', 604_800_000],
    ['30', 30_000],
    [' 10 s ', 10_000],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms))

  it.each(['', 'soon', '5x', '-1s', '1e3'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })
})

describe('parsePointInTime', () => {
  const now = Date.parse('2026-03-01T12:00:00Z')
  it('reads a duration as that long ago', () => {
    expect(parsePointInTime('24h', now)).toBe(now - 86_400_000)
  })
  it('reads dates and epoch milliseconds', () => {
    expect(parsePointInTime('2026-01-31', now)).toBe(Date.parse('2026-01-31'))
    expect(parsePointInTime('2026-01-31T10:00:00Z', now)).toBe(Date.parse('2026-01-31T10:00:00Z'))
    expect(parsePointInTime('1767225600000', now)).toBe(1767225600000)
  })
  it('refuses the rest', () => {
    for (const text of ['yesterday', '2026-13-45', '12', '']) {
      expect(parsePointInTime(text, now)).toBeUndefined()
    }
  })
})

describe('formatDuration', () => {
  it('is short', () => {
    expect(formatDuration(850)).toBe('850 ms')
    expect(formatDuration(4200)).toBe('4.2 s')
    expect(formatDuration(185_000)).toBe('3 min 5 s')
    expect(formatDuration(120_000)).toBe('2 min')
  })
})
