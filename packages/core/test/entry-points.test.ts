import { describe, expect, it } from 'vitest'
import * as adapter from '../src/adapter.js'
import * as root from '../src/index.js'
import * as testing from '../src/testing.js'

describe('the entry points', () => {
  it('the root holds the contract only', () => {
    expect(Object.keys(root).sort()).toEqual([
      'ERROR_KINDS',
      'NotificationTestError',
      'isFinalState',
      'isNotificationTestError',
      'isPassing',
      'redact',
      'runAll',
      'runTest',
      'waitForOutcome',
    ])
  })

  it('the kit and the test helpers are their own subpaths, sharing nothing with the root', () => {
    expect(Object.keys(adapter)).toEqual(
      expect.arrayContaining(['Transport', 'poll', 'TokenCache']),
    )
    expect(Object.keys(testing).sort()).toEqual([
      'FakeClock',
      'refusedPort',
      'rejectionOf',
      'startMisbehavingVendor',
      'startVendorServer',
      'thrownBy',
    ])
    const rootNames = new Set(Object.keys(root))
    expect(Object.keys(adapter).filter((name) => rootNames.has(name))).toEqual([])
  })

  it('isPassing: delivered and accepted pass, failed and pending do not', () => {
    expect(
      ['delivered', 'accepted', 'failed', 'pending'].map((state) =>
        root.isPassing({ state: state as root.TestState }),
      ),
    ).toEqual([true, true, false, false])
  })
})
