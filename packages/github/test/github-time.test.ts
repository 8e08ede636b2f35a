import { describe, expect, it } from 'vitest'
import { isGitHubTime } from '../src/github-time.js'

/** The rule as `Date.parse` (V8's, written by no one here) decides it: the oracle. */
function byDateParse(value: string): boolean {
  const shaped = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/.test(
    value,
  )
  const time = Date.parse(value)
  return shaped && time >= Date.UTC(2008, 0, 1) && time < Date.UTC(2200, 0, 1)
}

describe('isGitHubTime', () => {
  it('accepts the times GitHub writes', () => {
    expect(isGitHubTime('2019-06-03T00:57:16Z')).toBe(true)
    expect(isGitHubTime('2026-12-07T08:00:00.123+01:00')).toBe(true)
  })

  it('answers as Date.parse does on every edge of every field', () => {
    const years = ['2007', '2008', '2009', '2150', '2198', '2199', '2200']
    const months = ['00', '01', '02', '12', '13']
    const days = ['00', '01', '28', '29', '30', '31', '32']
    const hours = ['00', '23', '24']
    const minutes = ['00', '59', '60']
    const seconds = ['00', '59', '60']
    const fractions = ['', '.123456789']
    const zones = ['Z', '+00:00', '+23:59', '-23:59', '+24:00', '-00:60', '+99:99']
    let checked = 0
    const differing: string[] = []
    for (const y of years)
      for (const mo of months)
        for (const d of days)
          for (const h of hours)
            for (const mi of minutes)
              for (const s of seconds)
                for (const f of fractions)
                  for (const z of zones) {
                    const value = `${y}-${mo}-${d}T${h}:${mi}:${s}${f}${z}`
                    if (isGitHubTime(value) !== byDateParse(value)) differing.push(value)
                    checked++
                  }
    expect(differing).toEqual([])
    expect(checked).toBe(7 * 5 * 7 * 3 * 3 * 3 * 2 * 7)
  })

  it('refuses what is not one ISO 8601 date-time with a zone', () => {
    for (const value of [
      '',
      'yesterday',
      '2019-06-03',
      '2019-06-03T00:57:16',
      '2019-06-03T00:57:16z',
      '2019-06-03 00:57:16Z',
      '2019-06-03T00:57:16.1234567890Z',
      ' 2019-06-03T00:57:16Z',
    ]) {
      expect(isGitHubTime(value), value).toBe(false)
    }
  })
})
