import { describe, expect, it } from 'vitest'
import { renderJUnit } from '../src/junit.js'

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
