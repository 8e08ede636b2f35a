import { describe, expect, it } from 'vitest'
import { DEFAULT_RETRY_POLICY, backoffDelay, mayRetry } from '../src/retry-policy.js'

describe('mayRetry', () => {
  const cases = [
    // [failure, send, read]
    ['connection refused / DNS (never left)', { reach: 'not_sent' }, true, true],
    ['timeout or dropped connection', { reach: 'unknown' }, false, true],
    ['429', { reach: 'answered', httpStatus: 429 }, true, true],
    [
      '5xx the vendor calls retryable (Apple 5000001)',
      { reach: 'answered', httpStatus: 500, vendorSaysRetryable: true },
      true,
      true,
    ],
    [
      '404 the vendor calls retryable (Apple 4040004)',
      { reach: 'answered', httpStatus: 404, vendorSaysRetryable: true },
      true,
      true,
    ],
    ['plain 500', { reach: 'answered', httpStatus: 500 }, false, true],
    ['503', { reach: 'answered', httpStatus: 503 }, false, true],
    ['400', { reach: 'answered', httpStatus: 400 }, false, false],
    ['401', { reach: 'answered', httpStatus: 401 }, false, false],
    ['404', { reach: 'answered', httpStatus: 404 }, false, false],
  ] as const

  it.each(cases)('%s: send %s, read %s', (_name, failure, send, read) => {
    expect(mayRetry('send', failure)).toBe(send)
    expect(mayRetry('read', failure)).toBe(read)
  })
})

describe('backoffDelay (full jitter)', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 }

  it('stays within [0, base * 2^retry)', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(0)
    expect(backoffDelay(0, policy, () => 0.999999)).toBe(99)
    expect(backoffDelay(2, policy, () => 0.5)).toBe(200)
    expect(backoffDelay(3, policy, () => 0.999999)).toBe(799)
  })

  it('never exceeds maxDelayMs', () => {
    expect(backoffDelay(10, policy, () => 0.999999)).toBe(999)
    expect(backoffDelay(50, policy, () => 0.5)).toBe(500)
  })
})
