import { EXIT, exitCodeForError } from './exit-codes.js'
import { adviceFor, type CheckResult } from './output/result.js'

/**
 * JUnit XML, the report format every CI system reads (GitHub Actions test reporters, GitLab,
 * Jenkins, Azure Pipelines, CircleCI): one `<testcase>` per vendor check. A check that ran and did
 * not pass is a `<failure>`; one that could not run (configuration, credentials, vendor outage) is
 * an `<error>`, so a dashboard tells "the notification did not arrive" from "we could not ask".
 */

export interface JUnitCase {
  /** Groups cases in the CI's tree: `notiprobe.apple`. */
  readonly classname: string
  readonly name: string
  readonly durationMs: number
  readonly status: 'passed' | 'failed' | 'error'
  /** One line: why it failed. */
  readonly message?: string | undefined
  /** The error kind or the final state. */
  readonly type?: string | undefined
  /** Longer text inside the failure element. */
  readonly details?: string | undefined
  /** Evidence, shown as the case's standard output. */
  readonly output?: string | undefined
}

export interface JUnitSuite {
  readonly name: string
  /** Epoch milliseconds. */
  readonly startedAt: number
  readonly durationMs: number
  readonly cases: readonly JUnitCase[]
}

export function renderJUnit(suite: JUnitSuite): string {
  const failures = suite.cases.filter((c) => c.status === 'failed').length
  const errors = suite.cases.filter((c) => c.status === 'error').length
  const counts = `tests="${suite.cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(suite.durationMs)}"`
  const timestamp = new Date(suite.startedAt).toISOString().replace(/\.\d{3}Z$/, '')
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(suite.name)}" ${counts}>`,
    `  <testsuite name="${attr(suite.name)}" ${counts} timestamp="${timestamp}">`,
    ...suite.cases.flatMap(renderCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ]
  return lines.join('\n')
}

/**
 * One check as a test case. The advice (the error's hint, or the outcome's own sentence) is the
 * same text the human log prints under the report, so a CI log and a JUnit view agree.
 */
export function junitCaseOf(result: CheckResult): JUnitCase {
  const error = result.error
  const ranAndFailed =
    error === undefined ||
    (error.kind !== 'internal' &&
      exitCodeForError({ kind: error.kind, operation: error.operation }) === EXIT.failed)
  const advice = adviceFor(result)
  const facts =
    error === undefined
      ? []
      : Object.entries(error)
          .filter(([key]) => key !== 'hint' && key !== 'name')
          .map(([key, value]) => `${key}: ${String(value)}`)
  return {
    classname: `notiprobe.${result.vendor}`,
    name: result.name,
    durationMs: result.timings.durationMs,
    status: result.ok ? 'passed' : ranAndFailed ? 'failed' : 'error',
    message: result.ok ? undefined : result.evidence,
    type: result.ok ? undefined : result.state,
    details: result.ok
      ? undefined
      : [...facts, ...(advice === undefined ? [] : [`what to do: ${advice}`])].join('\n'),
    output: result.summary,
  }
}

function renderCase(c: JUnitCase): string[] {
  const open = `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}" time="${seconds(c.durationMs)}"`
  const body: string[] = []
  if (c.status !== 'passed') {
    const element = c.status === 'failed' ? 'failure' : 'error'
    const attributes = `message="${attr(c.message ?? c.status)}" type="${attr(c.type ?? c.status)}"`
    body.push(
      c.details === undefined
        ? `      <${element} ${attributes}/>`
        : `      <${element} ${attributes}>${text(c.details)}</${element}>`,
    )
  }
  if (c.output !== undefined) body.push(`      <system-out>${text(c.output)}</system-out>`)
  if (body.length === 0) return [`${open}/>`]
  return [`${open}>`, ...body, '    </testcase>']
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3)
}

// Characters XML 1.0 cannot hold at all, even escaped: drop them rather than write a broken file.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g

function text(value: string): string {
  return value
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

function attr(value: string): string {
  return text(value)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
}
