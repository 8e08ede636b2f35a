import { access, mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import {
  isNotificationTestError,
  runAll,
  type RunEntry,
  type RunProgress,
  type RunResult,
} from '@notiprobe/core'
import { DEFAULT_CONFIG_FILE, loadRunConfig, type RunConfig } from '../config-file.js'
import type { CommandContext, CommonOptions } from '../context.js'
import { formatDuration } from '../duration.js'
import { describeFailure, usageError } from '../errors.js'
import { EXIT, exitCodeForError, worstExitCode, type ExitCode } from '../exit-codes.js'
import { junitCaseOf, renderJUnit } from '../junit.js'
import { printAdvice, printReport } from '../output/report.js'
import {
  emitReport,
  errorResult,
  outcomeResult,
  timings,
  type CheckResult,
} from '../output/result.js'
import { appleTester } from '../settings/apple.js'
import { githubTester } from '../settings/github.js'
import { sailPointTester } from '../settings/sailpoint.js'
import { visible } from '../output/terminal-text.js'

export interface RunOptions extends CommonOptions {
  readonly config?: string
  readonly junit?: string
  readonly appleBaseUrl?: string
  readonly sailpointBaseUrl?: string
  readonly githubBaseUrl?: string
  readonly rootCert?: string[]
}

/** Each check's deadline, send and wait together: Apple delivers within seconds to a minute. */
const DEFAULT_TIMEOUT_MS = 120_000

/** A check that could not even start (its settings were wrong): reported like one that ran. */
interface Prepared {
  readonly entries: RunEntry[]
  /** What each entry checks, by its name, for the report's check column. */
  readonly checks: Map<string, string>
  readonly failed: RunResult[]
  readonly closers: (() => void)[]
  /** Vendors configured in the environment but not run, with the reason a person reads. */
  readonly skipped: Skipped[]
}

interface Skipped {
  /** As the summary names it: `SailPoint`. */
  readonly vendor: string
  /** Short, for the summary line. */
  readonly short: string
  /** Whole, with what to do. */
  readonly why: string
}

/**
 * `notiprobe run`: a test notification from every configured vendor at once, one report, and
 * with `--junit` one test case per check. With a config file, the vendors it names; without one,
 * every vendor whose variables are set. Exit code: the most serious failure among the checks.
 */
export async function runRun(context: CommandContext, options: RunOptions): Promise<ExitCode> {
  const { output, io } = context
  const config = await findConfig(context, options.config)
  const timeoutMs = options.timeout ?? config?.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const prepared = await prepare(context, options, config)
  for (const skip of prepared.skipped) output.warn(`${skip.vendor} skipped: ${skip.why}`)
  if (prepared.entries.length + prepared.failed.length === 0) {
    const skipped = prepared.skipped.map((s) => ` ${s.vendor} was skipped: ${s.why}`).join('')
    throw usageError(
      `Nothing to run.${skipped} Set the Apple variables (APPLE_ISSUER_ID, APPLE_KEY_ID, ...) or GitHub's (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_HOOK_ID), or give --config with "apple", "sailpoint" and/or "github" (default file: ./${DEFAULT_CONFIG_FILE}).`,
      { operation: context.operation, kind: 'config' },
    )
  }
  const names = [
    ...prepared.failed.map((r) => r.name),
    ...prepared.entries.map((e) => e.name ?? e.tester.vendor),
  ]
  const progress = await output.progress(`Running ${names.join(', ')}`)
  const status = new Map<string, string>()
  const began = new Map<string, number>()
  const onProgress = (event: RunProgress): void => {
    if (event.type === 'started') began.set(event.name, io.now())
    status.set(event.name, progressText(event))
    progress.update([...status].map(([name, text]) => `${name}: ${text}`).join(' · '))
  }
  let results: RunResult[]
  const startedAt = io.now()
  try {
    const report = await runAll(prepared.entries, {
      timeoutMs,
      signal: context.signal,
      concurrency: config?.concurrency,
      onProgress,
    })
    results = [...prepared.failed, ...report.results]
  } finally {
    for (const close of prepared.closers) close()
  }
  const endedAt = io.now()
  const durationMs = endedAt - startedAt
  const checkResults = results.map((r) =>
    checkResultOf(r, prepared.checks, began.get(r.name) ?? startedAt, context.operation),
  )
  const codes = results.map(resultExitCode)
  const code = worstExitCode(codes)
  const passed = results.filter((r) => r.ok).length
  const skipped =
    prepared.skipped.length === 0
      ? ''
      : `; skipped ${prepared.skipped.map((s) => `${s.vendor} (${s.short})`).join(', ')}`
  if (code === EXIT.ok) progress.succeed(`All ${results.length} checks passed${skipped}`)
  else progress.fail(`${passed} of ${results.length} checks passed${skipped}`)

  if (options.junit !== undefined)
    await writeJUnit(context, options.junit, checkResults, startedAt, durationMs)
  if (output.json) {
    emitReport(output, {
      ok: code === EXIT.ok,
      timings: timings(startedAt, endedAt),
      ...(config === undefined ? {} : { config: config.file }),
      results: checkResults,
      ...(prepared.skipped.length === 0
        ? {}
        : { skipped: prepared.skipped.map((s) => ({ vendor: s.vendor, reason: s.why })) }),
    })
  } else {
    await printReport(output, checkResults)
    printAdvice(output, checkResults)
    for (const r of results) {
      for (const warning of r.outcome?.warnings ?? [])
        output.warn(`${visible(r.name)}: ${visible(warning)}`)
    }
    if (options.junit !== undefined)
      output.note(output.errColor.dim(`JUnit report: ${resolve(io.cwd, options.junit)}`))
  }
  return code
}

async function findConfig(
  context: CommandContext,
  path: string | undefined,
): Promise<RunConfig | undefined> {
  if (path !== undefined) return loadRunConfig(context.io, path)
  const fallback = resolve(context.io.cwd, DEFAULT_CONFIG_FILE)
  try {
    await access(fallback)
  } catch {
    return undefined
  }
  return loadRunConfig(context.io, fallback)
}

/** Testers for every vendor to check; settings that fail become that vendor's failed result. */
async function prepare(
  context: CommandContext,
  options: RunOptions,
  config: RunConfig | undefined,
): Promise<Prepared> {
  const { env } = context.io
  const prepared: Prepared = {
    entries: [],
    checks: new Map(),
    failed: [],
    closers: [],
    skipped: [],
  }
  const fail = (name: string, vendor: string, error: unknown): void => {
    if (!isNotificationTestError(error)) throw error
    prepared.failed.push({ name, vendor, ok: false, error, durationMs: 0 })
  }

  const appleSection =
    config === undefined
      ? isSet(env.APPLE_KEY_ID) || isSet(env.APPLE_ISSUER_ID)
        ? {}
        : undefined
      : config.apple
  if (appleSection !== undefined && appleSection !== false) {
    try {
      const tester = await appleTester(context, {
        baseUrl: options.appleBaseUrl,
        rootCertFiles: options.rootCert,
        fromConfig: appleSection,
      })
      prepared.closers.push(() => tester.close())
      prepared.entries.push({ name: 'apple', tester })
    } catch (error) {
      fail('apple', 'apple', error)
    }
  }

  const sailSection = config?.sailpoint
  if (config === undefined && isSet(env.SAIL_CLIENT_ID)) {
    prepared.skipped.push({
      vendor: 'SailPoint',
      short: 'no config file names its templates',
      why: `SAIL_CLIENT_ID is set, but a SailPoint check needs a template key and medium, which only a config file gives: list them as sailpoint.checks in ${DEFAULT_CONFIG_FILE} (or --config).`,
    })
  }
  if (sailSection !== undefined && sailSection !== false) {
    const { checks, ...settings } = sailSection
    try {
      const tester = await sailPointTester(context, {
        baseUrl: options.sailpointBaseUrl,
        fromConfig: settings,
      })
      prepared.closers.push(() => tester.close())
      for (const check of checks) {
        const { name, ...send } = check
        const label = `${check.key} ${check.medium}`
        prepared.checks.set(name ?? `sailpoint ${label}`, name ?? label)
        prepared.entries.push({
          name: name ?? `sailpoint ${label}`,
          tester,
          send: { ...send, preflight: true },
        })
      }
    } catch (error) {
      for (const check of checks) {
        const label = `${check.key} ${check.medium}`
        prepared.checks.set(check.name ?? `sailpoint ${label}`, check.name ?? label)
        fail(check.name ?? `sailpoint ${label}`, 'sailpoint', error)
      }
    }
  }
  // GITHUB_TOKEN is set in every GitHub Actions job: the hook's id is what says "check GitHub".
  const githubSection =
    config === undefined
      ? isSet(env.GITHUB_HOOK_ID) || env.GITHUB_HOOK_TARGET?.trim().toLowerCase() === 'app'
        ? {}
        : undefined
      : config.github
  const githubAuth = ['GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_APP_ID', 'GITHUB_APP_CLIENT_ID'].find(
    (name) => isSet(env[name]),
  )
  if (config === undefined && githubSection === undefined && githubAuth !== undefined) {
    prepared.skipped.push({
      vendor: 'GitHub',
      short: 'no hook id',
      why: `${githubAuth} is set, but no hook to test: set GITHUB_HOOK_ID (with GITHUB_REPOSITORY or GITHUB_ORG), or GITHUB_HOOK_TARGET=app, or name it in ${DEFAULT_CONFIG_FILE}.`,
    })
  }
  if (githubSection !== undefined && githubSection !== false) {
    const { push, repository, hookId, ...settings } = githubSection
    try {
      const tester = await githubTester(context, {
        repo: repository,
        org: settings.org,
        app: settings.app,
        hookId: hookId === undefined ? undefined : String(hookId),
        baseUrl: options.githubBaseUrl ?? settings.baseUrl,
        apiVersion: settings.apiVersion,
      })
      prepared.closers.push(() => tester.close())
      prepared.entries.push({
        name: 'github',
        tester,
        ...(push === true ? { send: { event: 'push' } } : {}),
      })
    } catch (error) {
      fail('github', 'github', error)
    }
  }
  return prepared
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== ''
}

function progressText(event: RunProgress): string {
  switch (event.type) {
    case 'started':
      return 'sending'
    case 'sent':
      return 'sent'
    case 'checked': {
      const next = event.progress.nextCheckInMs
      return `${event.progress.outcome.state}${next === undefined ? '' : `, next check in ${formatDuration(next)}`}`
    }
    case 'finished':
      return event.result.outcome?.state ?? `error (${event.result.error?.kind ?? 'unknown'})`
  }
}

function resultExitCode(result: RunResult): ExitCode {
  if (result.ok) return EXIT.ok
  if (result.error !== undefined) return exitCodeForError(result.error)
  return EXIT.failed
}

/** A run's result in the shared shape; what it checks from the config's names. */
function checkResultOf(
  result: RunResult,
  checks: ReadonlyMap<string, string>,
  startedAt: number,
  operation: string,
): CheckResult {
  const base = {
    name: result.name,
    check: checks.get(result.name) ?? 'test notification',
    startedAt,
    endedAt: startedAt + result.durationMs,
  }
  if (result.error !== undefined || result.outcome === undefined) {
    const failure = describeFailure(result.error, operation)
    return errorResult({ ...base, vendor: result.vendor }, failure.json)
  }
  return outcomeResult(base, result.outcome)
}

async function writeJUnit(
  context: CommandContext,
  path: string,
  results: readonly CheckResult[],
  startedAt: number,
  durationMs: number,
): Promise<void> {
  const file = resolve(context.io.cwd, path)
  const cases = results.map(junitCaseOf)
  try {
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, renderJUnit({ name: 'notiprobe', startedAt, durationMs, cases }))
  } catch (error) {
    throw usageError(
      `--junit: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      {
        operation: context.operation,
        kind: 'config',
      },
    )
  }
}
