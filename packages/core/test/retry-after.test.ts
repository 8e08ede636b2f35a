import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from '../src/retry-after.js'

const NOW = Date.parse('2026-11-22T12:00:00Z')

describe('parseRetryAfter', () => {
  it('reads delay-seconds (RFC 9110), as SailPoint sends it', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000)
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0)
    expect(parseRetryAfter('1.5', NOW)).toBe(1500)
  })

  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:00:30 GMT', NOW)).toBe(30_000)
  })

  it('reads a UNIX time in milliseconds, as Apple sends it', () => {
    expect(parseRetryAfter(String(NOW + 4_250), NOW)).toBe(4_250)
  })

  it('reads a UNIX time in seconds by its magnitude', () => {
    expect(parseRetryAfter(String(NOW / 1000 + 12), NOW)).toBe(12_000)
  })

  it('never returns a negative wait for a time already past', () => {
    expect(parseRetryAfter(String(NOW - 10_000), NOW)).toBe(0)
    expect(parseRetryAfter('Sun, 22 Nov 2026 11:00:00 GMT', NOW)).toBe(0)
  })

  it('returns undefined for absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined()
    expect(parseRetryAfter('', NOW)).toBeUndefined()
    expect(parseRetryAfter('soon', NOW)).toBeUndefined()
    expect(parseRetryAfter('-5', NOW)).toBeUndefined()
  })

  it('returns undefined for a time no Date can hold, or a header too long to be one', () => {
    expect(parseRetryAfter('99999999999999999', NOW)).toBeUndefined()
    expect(parseRetryAfter('9'.repeat(400), NOW)).toBeUndefined()
    expect(parseRetryAfter('Sun, 22 Nov 275760 12:00:30 GMT', NOW)).toBeUndefined()
    expect(parseRetryAfter(`7${' '.repeat(100)}0`, NOW)).toBeUndefined()
    expect(parseRetryAfter('8640000000000000', NOW)).toBe(8.64e15 - NOW)
  })
})
