/**
 * Hostile-input figures of reliability issue 11, before and after the fixes:
 *  1. redaction and error construction on `eyJ…` and `<<<…` text of 1 KB, 100 KB and 10 MiB;
 *  2. `apple history --timeout 3s` against an Apple that answers `hasMore: true` forever: how long
 *     it runs, how many pages it fetches and the process's peak memory.
 *
 * Run: `pnpm build && pnpm exec tsc -p test/bench && node test/bench/dist/hostile.js`
 * A size whose time, extrapolated from the last one as quadratic growth, would pass 60 s is
 * skipped and reported as an estimate.
 */
import { spawn } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { APPLE_OPERATIONS, mapAppleError } from '@notiprobe/apple'
import { NotificationTestError, redact } from '@notiprobe/core'
import type { VendorResponse } from '@notiprobe/core/adapter'
import { SAILPOINT_OPERATIONS, mapSailPointError } from '@notiprobe/sailpoint'

const SIZES = [1024, 100 * 1024, 10 * 1024 * 1024] as const
const BUDGET_MS = 60_000

function repeat(unit: string, bytes: number): string {
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes)
}

function response(body: string, contentType: string): VendorResponse {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    json = undefined
  }
  return {
    status: 502,
    headers: { 'content-type': contentType },
    body,
    json,
    retryAfterMs: undefined,
  }
}

const CASES: Record<string, (size: number) => () => unknown> = {
  'redact eyJ…': (size) => {
    const text = repeat('eyJ', size)
    return () => redact(text)
  },
  'NotificationTestError eyJ… message': (size) => {
    const text = repeat('eyJ', size)
    return () =>
      new NotificationTestError({
        vendor: 'x',
        operation: 'x.y',
        kind: 'vendor_error',
        message: text,
      })
  },
  'mapAppleError <<<… body': (size) => {
    const r = response(repeat('<', size), 'text/html')
    return () => mapAppleError(r, APPLE_OPERATIONS.getTestNotificationStatus)
  },
  'mapAppleError eyJ… errorMessage': (size) => {
    const r = response(
      JSON.stringify({ errorCode: 1, errorMessage: repeat('eyJ', size) }),
      'application/json',
    )
    return () => mapAppleError(r, APPLE_OPERATIONS.getTestNotificationStatus)
  },
  'mapSailPointError <script… body': (size) => {
    const r = response(repeat('<script', size), 'text/html')
    return () =>
      mapSailPointError(r, {
        operation: SAILPOINT_OPERATIONS.listTemplates,
        endpoint: 'api',
        apiVersion: 'beta',
        url: 'https://x.test/',
      })
  },
}

function timeCases(): void {
  console.log('## Redaction and error construction (median of 3 runs; ms)')
  console.log(`| case | ${SIZES.map(label).join(' | ')} |`)
  console.log(`|---|${SIZES.map(() => '---:').join('|')}|`)
  for (const [name, make] of Object.entries(CASES)) {
    const cells: string[] = []
    let last: { size: number; ms: number } | undefined
    for (const size of SIZES) {
      const estimate = last === undefined ? 0 : last.ms * (size / last.size) ** 2
      if (estimate > BUDGET_MS) {
        cells.push(`~${Math.round(estimate / 1000)} s (est., not run)`)
        last = { size, ms: estimate }
        continue
      }
      const run = make(size)
      const times = [0, 1, 2].map(() => {
        const started = performance.now()
        run()
        return performance.now() - started
      })
      const ms = times.sort((a, b) => a - b)[1] ?? 0
      cells.push(ms.toFixed(ms < 10 ? 2 : 0))
      last = { size, ms }
    }
    console.log(`| ${name} | ${cells.join(' | ')} |`)
  }
}

function label(size: number): string {
  return size >= 1024 * 1024 ? `${size / 1024 / 1024} MiB` : `${size / 1024} KB`
}

/** Answers every history request with 20 records, `hasMore: true` and a new token. */
async function endlessHistory(): Promise<{ server: Server; url: string; pages: () => number }> {
  let pages = 0
  const record = { signedPayload: `eyJhbGciOiJFUzI1NiJ9.${'A'.repeat(2000)}.sig`, sendAttempts: [] }
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      pages++
      res.setHeader('content-type', 'application/json')
      res.end(
        JSON.stringify({
          notificationHistory: Array.from({ length: 20 }, () => record),
          hasMore: true,
          paginationToken: `token-${pages}`,
        }),
      )
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return { server, url: `http://127.0.0.1:${address.port}`, pages: () => pages }
}

/** Peak resident memory (VmHWM) of a Linux process, in MiB. */
function peakRssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
    return kb / 1024
  } catch {
    return Number.NaN
  }
}

async function historyUnderTimeout(): Promise<void> {
  const CAP_MS = 20_000
  const { server, url, pages } = await endlessHistory()
  const dir = mkdtempSync(join(tmpdir(), 'notiprobe-hostile-'))
  const keyFile = join(dir, 'AuthKey_HOSTILE001.p8')
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }))
  const bin = resolve(import.meta.dirname, '../../../packages/cli/dist/bin.js')
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [bin, 'apple', 'history', '--since', '1h', '--timeout', '3s', '--base-url', url],
    {
      env: {
        PATH: process.env.PATH,
        NO_COLOR: '1',
        APPLE_ISSUER_ID: '57246542-96fe-1a63-e053-0824d011072a',
        APPLE_KEY_ID: 'HOSTILE001',
        APPLE_PRIVATE_KEY_FILE: keyFile,
        APPLE_BUNDLE_ID: 'com.example.hostile',
        APPLE_ENVIRONMENT: 'Sandbox',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000)
  })
  let peak = 0
  const sampler = setInterval(() => {
    if (child.pid !== undefined) peak = Math.max(peak, peakRssMiB(child.pid))
  }, 100)
  const killer = setTimeout(() => child.kill('SIGKILL'), CAP_MS)
  const code = await new Promise<number | null>((done) => child.on('exit', (exit) => done(exit)))
  clearInterval(sampler)
  clearTimeout(killer)
  const seconds = (performance.now() - started) / 1000
  server.close()
  console.log('\n## `apple history --timeout 3s` against an endless hasMore: true')
  console.log(
    `| ran for | exit | pages fetched | records | peak RSS |\n|---:|---:|---:|---:|---:|\n| ${seconds.toFixed(1)} s${code === null ? ` (killed at the ${CAP_MS / 1000} s cap)` : ''} | ${code ?? 'killed'} | ${pages()} | ${pages() * 20} | ${peak.toFixed(0)} MiB |`,
  )
  const lastLine = stderr
    .trim()
    .split('\n')
    .filter((line) => line.includes('✖') || line.includes('timeout'))
    .pop()
  if (lastLine !== undefined) console.log(`\nlast error line: ${lastLine.slice(0, 300)}`)
}

if (!process.argv.includes('--history-only')) timeCases()
await historyUnderTimeout()
