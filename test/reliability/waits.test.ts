import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { resolve } from 'node:path'
import { createAppleTester, type AppleTester, type AppleTestTicket } from '@notiprobe/apple'
import { isNotificationTestError, waitForOutcome, type ErrorKind } from '@notiprobe/core'
import { startAppleSimulator, type AppleSimulator } from '@notiprobe/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportFigures } from '../support/figures.js'
import { installProcessGuard, type ProcessGuard } from '../support/guard.js'
import { closeServer, listen } from '../support/servers.js'

/**
 * Waits and calls under faults end when their deadline or AbortSignal says so, promptly, with the
 * right kind; and they leave nothing behind: a separate process runs them on the built packages,
 * closes what it opened, and must then exit by itself.
 */

const ROOT = resolve(import.meta.dirname, '../..')
const CHILD = resolve(ROOT, 'test/support/wait-child.mjs')
const BUILT = resolve(ROOT, 'packages/apple/dist/bundle/index.js')
/** How much later than asked a wait may end: event-loop turns and socket teardown, on 2 cores. */
const SLACK_MS = 150

interface ChildResult {
  readonly name: string
  readonly expectedKind: string
  readonly kind: string
  readonly limitMs: number
  readonly ms: number
}

describe('waits under faults, in this process', () => {
  let guard: ProcessGuard
  let sim: AppleSimulator
  let tester: AppleTester
  let ticket: AppleTestTicket
  let blackHole: Server
  const sockets = new Set<Socket>()

  beforeAll(async () => {
    guard = installProcessGuard()
    // A notification URL that never answers: status stays 4040008 (pending) for a minute.
    blackHole = createServer(() => undefined)
    blackHole.on('connection', (socket) => sockets.add(socket))
    const url = await listen(blackHole)
    sim = await startAppleSimulator({
      rateLimits: 'off',
      notificationUrl: `${url}/never`,
      deliveryDelayMs: 1,
      deliveryTimeoutMs: 60_000,
    })
    tester = createAppleTester({
      issuerId: sim.credentials.issuerId,
      keyId: sim.credentials.keyId,
      privateKey: sim.credentials.privateKeyPem,
      bundleId: sim.bundleId,
      environment: 'Sandbox',
      baseUrl: sim.baseUrl,
      rootCertificates: [sim.rootCertificatePem],
      rateLimits: 'off',
    })
    ticket = await tester.send()
  })

  afterAll(async () => {
    tester.close()
    await sim.close()
    for (const socket of sockets) socket.destroy()
    await closeServer(blackHole)
    guard.dispose()
    expect(guard.unhandledRejections).toEqual([])
    expect(guard.uncaughtExceptions).toEqual([])
  })

  async function ended(
    run: () => Promise<unknown>,
  ): Promise<{ kind: ErrorKind | 'none'; ms: number }> {
    const started = performance.now()
    try {
      await run()
      return { kind: 'none', ms: performance.now() - started }
    } catch (error) {
      if (!isNotificationTestError(error)) throw error
      return { kind: error.kind, ms: performance.now() - started }
    }
  }

  it('a deadline ends a slow status call within the deadline', async () => {
    sim.faults.set('getTestNotificationStatus', { kind: 'latency', latencyMs: 10_000 })
    try {
      const result = await ended(() => waitForOutcome(tester, ticket, { timeoutMs: 250 }))
      expect(result.kind).toBe('timeout')
      expect(result.ms).toBeLessThan(250 + SLACK_MS)
    } finally {
      sim.faults.clear()
    }
  })

  it('an AbortSignal ends the pause between checks at once', async () => {
    const controller = new AbortController()
    const result = await ended(() =>
      waitForOutcome(tester, ticket, {
        intervalMs: 60_000,
        signal: controller.signal,
        onProgress: () => setTimeout(() => controller.abort(), 50),
      }),
    )
    expect(result.kind).toBe('aborted')
    expect(result.ms).toBeLessThan(50 + SLACK_MS)
  })
})

describe('waits under faults, in a process of their own', () => {
  it.skipIf(!existsSync(BUILT))(
    'end promptly with the right kind, and the process then exits by itself',
    async () => {
      const started = performance.now()
      const child = spawn(process.execPath, [CHILD], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      let killed = false
      // The waits take about 3 s; a timer or socket left behind would keep the process alive for
      // the 30 s default timeout or longer.
      const killer = setTimeout(() => {
        killed = true
        child.kill('SIGKILL')
      }, 15_000)
      const code = await new Promise<number | null>((done) => child.on('exit', done))
      clearTimeout(killer)
      const wallMs = Math.round(performance.now() - started)
      expect(stderr).toBe('')
      expect(killed, 'the process had to be killed: something was left open').toBe(false)
      expect(code).toBe(0)
      const report = JSON.parse(stdout) as { results: ChildResult[]; resources: string[] }
      reportFigures('waits under faults (separate process)', {
        cases: report.results.length,
        results: report.results.map((r) => `${r.name}: ${r.kind} after ${String(r.ms)} ms`),
        processExitedBy: 'itself',
        processWallMs: wallMs,
      })
      for (const result of report.results) {
        expect(result.kind, result.name).toBe(result.expectedKind)
        expect(result.ms, result.name).toBeLessThan(result.limitMs + SLACK_MS)
      }
    },
    30_000,
  )
})
