import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  startAppleSimulator,
  startSailPointSimulator,
  type AppleSimulator,
  type AppleSimulatorOptions,
  type SailPointSimulator,
  type SailPointSimulatorOptions,
} from '@notiprobe/simulator'

/** The real, built binary: the end-to-end tests run exactly what a user runs. */
export const BIN = resolve(import.meta.dirname, '../../packages/cli/dist/bin.js')
export const ROOT = resolve(import.meta.dirname, '../..')

if (!existsSync(BIN)) {
  throw new Error(`${BIN} is missing: build first (pnpm build, or pnpm test which does).`)
}

export interface CliResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
}

export interface CliOptions {
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly input?: string
  readonly cwd?: string
  /** Kill the process after this long (a hung command fails its test rather than the suite). */
  readonly killAfterMs?: number
}

/**
 * Runs `notiprobe args...` with only the variables given (plus PATH and HOME), so nothing from the
 * developer's shell leaks in, and resolves when the process exits by itself.
 */
export function cli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const child = startCli(args, options)
  return child.done
}

export interface RunningCli {
  readonly child: ReturnType<typeof spawn>
  readonly done: Promise<CliResult>
  /** Resolves with the first stdout line (e.g. the JSON a long-running command prints first). */
  readonly firstLine: Promise<string>
  /** Every stdout line so far. */
  lines(): string[]
}

export function startCli(args: readonly string[], options: CliOptions = {}): RunningCli {
  const started = performance.now()
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let resolveLine: (line: string) => void = () => undefined
  const firstLine = new Promise<string>((resolve) => (resolveLine = resolve))
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    const end = stdout.indexOf('\n')
    if (end !== -1) resolveLine(stdout.slice(0, end))
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  if (options.input !== undefined) child.stdin.end(options.input)
  else child.stdin.end()
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 30_000)
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(killer)
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started })
    })
  })
  return { child, done, firstLine, lines: () => stdout.split('\n').filter((l) => l !== '') }
}

/** The one JSON document a `--json` command printed, typed as the test expects it. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- parsed JSON, typed by the caller
export function json<T = Record<string, unknown>>(result: CliResult): T {
  const lines = result.stdout.trim().split('\n')
  if (lines.length !== 1) {
    throw new Error(
      `expected one JSON line, got ${lines.length}:\n${result.stdout}\nstderr:\n${result.stderr}`,
    )
  }
  return JSON.parse(lines[0] ?? '') as T
}

export function ndjson(result: CliResult): Record<string, unknown>[] {
  return result.stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** An endpoint of the app's side on 127.0.0.1 at `path`, answering each request with `answer`. */
async function startAppEndpoint(
  path: string,
  answer: (res: ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => answer(res))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise((done) => {
        server.close(() => done())
        server.closeAllConnections()
      }),
  }
}

/** A server of the app's side: answers every notification 200, as an app's endpoint would. */
export function startAcknowledger(): Promise<{ url: string; close(): Promise<void> }> {
  return startAppEndpoint('/notifications', (res) => res.writeHead(200).end())
}

/** Simulators of both vendors, files a client needs, and the environment pointing at them. */
export interface Vendors {
  readonly apple: AppleSimulator
  readonly sailpoint: SailPointSimulator
  readonly dir: string
  readonly keyFile: string
  readonly rootFile: string
  readonly secretFile: string
  /** Apple and SailPoint variables, host excluded: tests pass `--base-url` as a user would. */
  readonly env: Readonly<Record<string, string>>
  close(): Promise<void>
}

export async function startVendors(
  options: { apple?: AppleSimulatorOptions; sailpoint?: SailPointSimulatorOptions } = {},
): Promise<Vendors> {
  const acknowledger = await startAcknowledger()
  const [apple, sailpoint] = await Promise.all([
    // Production: one status check a second, so `apple test --wait` confirms in about a second.
    // Rate limits off: the tests run commands in parallel against one simulator.
    startAppleSimulator({
      environment: 'Production',
      rateLimits: 'off',
      notificationUrl: acknowledger.url,
      performanceTest: { totalRequests: 10, maxConcurrentRequests: 5 },
      ...options.apple,
    }),
    startSailPointSimulator({ rateLimits: 'off', ...options.sailpoint }),
  ])
  const dir = await mkdtemp(join(tmpdir(), 'notiprobe-e2e-'))
  const keyFile = join(dir, `AuthKey_${apple.credentials.keyId}.p8`)
  const rootFile = join(dir, 'root.pem')
  const secretFile = join(dir, 'sailpoint-secret')
  await Promise.all([
    writeFile(keyFile, apple.credentials.privateKeyPem, { mode: 0o600 }),
    writeFile(rootFile, apple.rootCertificatePem),
    writeFile(secretFile, sailpoint.credentials.clientSecret, { mode: 0o600 }),
  ])
  return {
    apple,
    sailpoint,
    dir,
    keyFile,
    rootFile,
    secretFile,
    env: {
      APPLE_ISSUER_ID: apple.credentials.issuerId,
      APPLE_KEY_ID: apple.credentials.keyId,
      APPLE_PRIVATE_KEY_FILE: keyFile,
      APPLE_BUNDLE_ID: apple.bundleId,
      APPLE_ENVIRONMENT: apple.environment,
      APPLE_APP_APPLE_ID: String(apple.appAppleId),
      APPLE_ROOT_CERTIFICATES_FILE: rootFile,
      SAIL_CLIENT_ID: sailpoint.credentials.clientId,
      SAIL_CLIENT_SECRET: sailpoint.credentials.clientSecret,
    },
    async close() {
      await Promise.all([apple.close(), sailpoint.close(), acknowledger.close()])
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** The escape that starts every ANSI colour sequence. */
export const ANSI = '\u001b['

/** Exactly the secrets a test's processes were given: none may appear in any output. */
export function expectNoSecrets(result: CliResult, vendors: Vendors): void {
  const output = result.stdout + result.stderr
  const secrets = [
    vendors.sailpoint.credentials.clientSecret,
    ...vendors.apple.credentials.privateKeyPem.split('\n').filter((line) => line.length > 20),
  ]
  for (const secret of secrets) {
    if (output.includes(secret)) throw new Error(`a secret appeared in the output:\n${output}`)
  }
}

/** A realtime (Get Retention Message) endpoint that answers as an app's server must. */
export function startAcknowledgerWithMessage(): Promise<{ url: string; close(): Promise<void> }> {
  return startAppEndpoint('/retention', (res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({ message: { messageIdentifier: '7b7a6f8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b' } }),
    )
  })
}
