import { describe, expect, it } from 'vitest'
import { junitCaseOf, renderJUnit } from '../src/junit.js'

describe('renderJUnit', () => {
  const xml = renderJUnit({
    name: 'notiprobe',
    startedAt: Date.parse('2026-03-01T12:00:00.123Z'),
    durationMs: 3210,
    cases: [
      {
        classname: 'notiprobe.apple',
        name: 'apple: test notification',
        durationMs: 1500,
        status: 'passed',
        output: 'delivered <SUCCESS>',
      },
      {
        classname: 'notiprobe.sailpoint',
        name: 'sailpoint: key & "medium"',
        durationMs: 10,
        status: 'error',
        message: 'SailPoint refused the credentials',
        type: 'auth',
        details: 'kind: auth\nrequest id: abc',
      },
      {
        classname: 'notiprobe.apple',
        name: 'apple: not delivered',
        durationMs: 0,
        status: 'failed',
        message: 'TIMED_OUT\u0000',
      },
    ],
  })

  it('counts tests, failures and errors at both levels', () => {
    expect(xml).toContain(
      '<testsuites name="notiprobe" tests="3" failures="1" errors="1" skipped="0" time="3.210">',
    )
    expect(xml).toContain(
      '<testsuite name="notiprobe" tests="3" failures="1" errors="1" skipped="0" time="3.210" timestamp="2026-03-01T12:00:00">',
    )
  })

  it('writes one test case per check, failures and errors apart', () => {
    expect(xml).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="notiprobe" tests="3" failures="1" errors="1" skipped="0" time="3.210">
  <testsuite name="notiprobe" tests="3" failures="1" errors="1" skipped="0" time="3.210" timestamp="2026-03-01T12:00:00">
    <testcase classname="notiprobe.apple" name="apple: test notification" time="1.500">
      <system-out>delivered &lt;SUCCESS&gt;</system-out>
    </testcase>
    <testcase classname="notiprobe.sailpoint" name="sailpoint: key &amp; &quot;medium&quot;" time="0.010">
      <error message="SailPoint refused the credentials" type="auth">kind: auth
request id: abc</error>
    </testcase>
    <testcase classname="notiprobe.apple" name="apple: not delivered" time="0.000">
      <failure message="TIMED_OUT" type="failed"/>
    </testcase>
  </testsuite>
</testsuites>
`)
  })
})

describe('junitCaseOf', () => {
  const timings = {
    startedAt: '2026-03-01T12:00:00.000Z',
    endedAt: '2026-03-01T12:00:01.500Z',
    durationMs: 1500,
  }

  it('a check that ran and did not pass is a failure whose details end with the outcome’s advice', () => {
    const junitCase = junitCaseOf({
      name: 'apple',
      vendor: 'apple',
      check: 'test notification',
      ok: false,
      state: 'failed',
      evidence: 'token t-1; attempts: TIMED_OUT',
      summary: 'Apple could not deliver: check that the notification URL answers 200.',
      timings,
    })
    expect(junitCase).toEqual({
      classname: 'notiprobe.apple',
      name: 'apple',
      durationMs: 1500,
      status: 'failed',
      message: 'token t-1; attempts: TIMED_OUT',
      type: 'failed',
      details: 'what to do: Apple could not deliver: check that the notification URL answers 200.',
      output: 'Apple could not deliver: check that the notification URL answers 200.',
    })
  })

  it('a check that could not run is an error carrying every fact and the hint, the same as the log', () => {
    const junitCase = junitCaseOf({
      name: 'slack digest',
      vendor: 'sailpoint',
      check: 'k SLACK',
      ok: false,
      state: 'auth',
      evidence: 'SailPoint refused the credentials (request id r-9)',
      error: {
        name: 'NotificationTestError',
        message: 'SailPoint refused the credentials.',
        hint: 'Check the credentials SailPoint was given.',
        vendor: 'sailpoint',
        operation: 'sailpoint.token',
        kind: 'auth',
        retryable: false,
        requestId: 'r-9',
      },
      timings,
    })
    expect(junitCase.status).toBe('error')
    expect(junitCase.details).toBe(
      [
        'message: SailPoint refused the credentials.',
        'vendor: sailpoint',
        'operation: sailpoint.token',
        'kind: auth',
        'retryable: false',
        'requestId: r-9',
        'what to do: Check the credentials SailPoint was given.',
      ].join('\n'),
    )
  })

  it('a verification failure or a wait that ran out is a failure, not an error', () => {
    const base = { name: 'apple', vendor: 'apple', check: 'c', ok: false, evidence: 'e', timings }
    const error = {
      name: 'NotificationTestError',
      message: 'm',
      hint: 'h',
      vendor: 'apple',
      retryable: false,
    }
    expect(
      junitCaseOf({
        ...base,
        state: 'verification',
        error: { ...error, kind: 'verification', operation: 'apple.verifySignedPayload' },
      }).status,
    ).toBe('failed')
    expect(
      junitCaseOf({
        ...base,
        state: 'timeout',
        error: { ...error, kind: 'timeout', operation: 'core.waitForOutcome' },
      }).status,
    ).toBe('failed')
    expect(
      junitCaseOf({
        ...base,
        state: 'internal',
        error: { ...error, kind: 'internal', operation: 'notiprobe.run' },
      }).status,
    ).toBe('error')
  })
})
