import { spawn } from 'node:child_process'
import { generateKeyPairSync, randomBytes, createPrivateKey } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { main, type Io } from '@notiprobe/cli'
import {
  startAppleSimulator,
  startSailPointSimulator,
  type AppleEndpoint,
  type AppleSimulator,
  type FaultSpec,
  type SailPointEndpoint,
  type SailPointSimulator,
} from '@notiprobe/simulator'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportFigures, tally } from '../support/figures.js'
import { installProcessGuard, type ProcessGuard } from '../support/guard.js'
import { LeakScanner } from '../support/leaks.js'
import { signJws } from '../support/pki.js'
import {
  closeServer,
  listen,
  readBody,
  startFaultProxy,
  startNotificationSink,
  type FaultProxy,
  type NotificationSink,
} from '../support/servers.js'

/**
 * The CLI with known secrets planted: every command's error paths (refused credentials, injected
 * faults, a hostile vendor echoing credentials, timeouts, verification failures), and its successes,
 * in human output, `--json` and `--junit`, in this process (through `main` with captured streams)
 * and through the built binary. Each scenario gets secrets never used before in the process (a
 * new Apple key, a new SailPoint client), so redaction of an earlier run cannot hide a leak.
 * Then fast-check over command-line arguments and config files: each bad one exits 2, names the
 * option or field, and sends nothing.
 */

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = resolve(ROOT, 'packages/cli/dist/bin.js')
const APP_APPLE_ID = 1_234_567_890
const CLIENTS = 120
const RUNS = Number(process.env.NOTIPROBE_PROPERTY_RUNS ?? '150')

interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

interface Scenario {
  readonly name: string
  readonly vendor: 'apple' | 'sailpoint' | 'both'
  readonly args: readonly string[]
  /** Faults and settings for this scenario; undone after it. */
  readonly setup?: (() => void) | undefined
  /** Extra environment, given the scenario's own. */
  readonly env?: ((env: Record<string, string>) => Record<string, string>) | undefined
  /** Standard input, given the scenario's environment. */
  readonly input?: ((env: Record<string, string>) => string) | undefined
  /** Exit codes the scenario may end with. */
  readonly exits: readonly number[]
  /** Also run through the built binary. */
  readonly binary?: boolean
}

describe('the CLI: no secret in any output, and bad input refused', () => {
  let guard: ProcessGuard
  let dir: string
  let apple: AppleSimulator
  let sailpoint: SailPointSimulator
  let sink: NotificationSink
  let appleProxy: FaultProxy
  let sailProxy: FaultProxy
  let echo: Server
  let echoUrl: string
  let rootFile: string
  const scanner = new LeakScanner()
  const clients = Array.from({ length: CLIENTS }, (_, i) => ({
    clientId: `cli-client-${String(i)}`,
    clientSecret: `cli-secret-${String(i)}-${randomBytes(16).toString('hex')}`,
  }))
  let nextClient = 0
  const userClient = {
    clientId: 'cli-user',
    clientSecret: `cli-user-${randomBytes(16).toString('hex')}`,
    scopes: ['sp:scopes:default'],
  }
  const figures = {
    scenarios: 0,
    runsInProcess: 0,
    runsOfTheBinary: 0,
    byExitCode: {} as Record<string, number>,
    junitFilesScanned: 0,
    propertyInputs: 0,
    propertyRefused: 0,
  }

  beforeAll(async () => {
    guard = installProcessGuard()
    dir = await mkdtemp(join(tmpdir(), 'notiprobe-cli-security-'))
    sink = await startNotificationSink()
    apple = await startAppleSimulator({
      environment: 'Production',
      appAppleId: APP_APPLE_ID,
      rateLimits: 'off',
      notificationUrl: sink.url,
      deliveryDelayMs: 5,
    })
    sailpoint = await startSailPointSimulator({
      rateLimits: 'off',
      clients: [...clients, userClient],
    })
    appleProxy = await startFaultProxy(apple.baseUrl)
    sailProxy = await startFaultProxy(sailpoint.baseUrl)
    echo = createServer((req, res) => {
      void readBody(req).then((body) => {
        const authorization = req.headers.authorization ?? ''
        if (authorization !== '') scanner.plant(authorization.replace(/^Bearer\s+/i, ''))
        if (req.url?.startsWith('/oauth/token') === true) {
          res.writeHead(400, { 'content-type': 'application/json' })
          res.end(
            JSON.stringify({
              error: 'invalid_client',
              error_description: `got ${body.toString('utf8')}`,
            }),
          )
          return
        }
        res.writeHead(400, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            errorCode: 4000000,
            errorMessage: `you sent ${authorization}`,
            detailCode: '400.1 Bad Request Content',
            messages: [
              { locale: 'en-US', localeOrigin: 'DEFAULT', text: `you sent ${authorization}` },
            ],
          }),
        )
      })
    })
    echoUrl = await listen(echo)
    rootFile = join(dir, 'root.pem')
    await writeFile(rootFile, apple.rootCertificatePem)
  })

  afterAll(async () => {
    for (const credential of [...appleProxy.captured, ...sailProxy.captured]) {
      scanner.plant(credential)
    }
    const rescan = outputs.splice(0)
    for (const [where, text] of rescan) scanner.scanText(where, text)
    await appleProxy.close()
    await sailProxy.close()
    await closeServer(echo)
    await apple.close()
    await sailpoint.close()
    await sink.close()
    await rm(dir, { recursive: true, force: true })
    guard.dispose()
    reportFigures('no leaks: CLI', {
      ...figures,
      leakScan: scanner.report(),
      leaks: scanner.leaks.slice(0, 10),
      timings,
      unhandledRejections: guard.unhandledRejections.length,
    })
    expect(scanner.leaks).toEqual([])
    expect(guard.unhandledRejections).toEqual([])
    expect(guard.uncaughtExceptions).toEqual([])
  })

  /** Every output, kept to be scanned again at the end with the credentials captured since. */
  const outputs: [string, string][] = []
  const scan = (where: string, text: string): void => {
    outputs.push([where, text])
    scanner.scanText(where, text)
  }

  /** Runs `notiprobe` in this process with captured streams. */
  async function runMain(
    argv: readonly string[],
    env: Record<string, string>,
    input = '',
  ): Promise<CliResult> {
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    let out = ''
    let err = ''
    stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    const stdin = Object.assign(Readable.from(input === '' ? [] : [input]), { isTTY: false })
    const io: Io = { stdout, stderr, stdin, env, cwd: dir, now: Date.now }
    const code = await main(argv, io, { on: () => undefined, off: () => undefined })
    stdout.end()
    stderr.end()
    figures.runsInProcess++
    return { code, stdout: out, stderr: err }
  }

  /** Runs the built binary with only `env` (and PATH). */
  function runBinary(
    argv: readonly string[],
    env: Record<string, string>,
    input = '',
  ): Promise<CliResult> {
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, [BIN, ...argv], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      child.stdin.end(input)
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000)
      child.on('error', fail)
      child.on('close', (code) => {
        clearTimeout(killer)
        figures.runsOfTheBinary++
        done({ code, stdout, stderr })
      })
    })
  }

  /** A new Apple key, registered with the simulator, and the environment that uses it. */
  function freshAppleEnv(): Record<string, string> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const keyId = randomBytes(5).toString('hex').toUpperCase()
    const issuerId = apple.credentials.issuerId
    apple.registerKey({
      issuerId,
      keyId,
      publicKey: String(publicKey.export({ type: 'spki', format: 'pem' })),
    })
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    scanner.plant(pem)
    return {
      APPLE_ISSUER_ID: issuerId,
      APPLE_KEY_ID: keyId,
      APPLE_PRIVATE_KEY: pem,
      APPLE_BUNDLE_ID: apple.bundleId,
      APPLE_ENVIRONMENT: 'Production',
      APPLE_APP_APPLE_ID: String(APP_APPLE_ID),
      // A base URL of its own: the CLI's client-side rate limits (1 send a second) are per host,
      // and in this process they would otherwise make every scenario wait for the last.
      APPLE_BASE_URL: `${appleProxy.baseUrl}/~k${keyId}`,
      APPLE_ROOT_CERTIFICATES_FILE: rootFile,
    }
  }

  /** A SailPoint client never used before, and the environment that uses it. */
  function freshSailPointEnv(): Record<string, string> {
    const client = clients[nextClient++]
    if (client === undefined) throw new Error('out of SailPoint clients')
    scanner.plant(client.clientSecret)
    return {
      SAIL_BASE_URL: sailProxy.baseUrl,
      SAIL_CLIENT_ID: client.clientId,
      SAIL_CLIENT_SECRET: client.clientSecret,
    }
  }

  const appleFault = (endpoint: AppleEndpoint, spec: FaultSpec) => () =>
    apple.faults.set(endpoint, spec)
  const sailFault = (endpoint: SailPointEndpoint, spec: FaultSpec) => () =>
    sailpoint.faults.set(endpoint, spec)
  const CONTEXT = JSON.stringify({ numberOfPendingTasks: '1', taskTasks: 'task', ownerId: 'x' })
  const SAIL_TEST = [
    'sailpoint',
    'test',
    '--key',
    'cloud_manual_work_item_summary',
    '--medium',
    'EMAIL',
    '--context',
    CONTEXT,
  ]

  const timings: Record<string, number> = {}
  async function runScenario(scenario: Scenario): Promise<void> {
    const started = performance.now()
    try {
      await runScenarioModes(scenario)
    } finally {
      timings[scenario.name] = Math.round(performance.now() - started)
    }
  }

  async function runScenarioModes(scenario: Scenario): Promise<void> {
    figures.scenarios++
    const modes = [[], ['--json']] as const
    for (const mode of modes) {
      for (const runner of scenario.binary === true && existsSync(BIN)
        ? ['main', 'binary']
        : ['main']) {
        let env: Record<string, string> = {
          NO_COLOR: '1',
          ...(scenario.vendor !== 'sailpoint' ? freshAppleEnv() : {}),
          ...(scenario.vendor !== 'apple' ? freshSailPointEnv() : {}),
        }
        const original = env
        env = scenario.env?.(env) ?? env
        const input = scenario.input?.(original) ?? ''
        const junit = join(
          dir,
          `junit-${String(figures.scenarios)}-${runner}-${String(mode.length)}.xml`,
        )
        const args = [
          ...scenario.args,
          ...mode,
          ...(scenario.args[0] === 'run' ? ['--junit', junit] : []),
        ]
        scenario.setup?.()
        let result: CliResult
        try {
          result =
            runner === 'main' ? await runMain(args, env, input) : await runBinary(args, env, input)
        } finally {
          apple.faults.clear()
          sailpoint.faults.clear()
          appleProxy.setPolicy(undefined)
          sailProxy.setPolicy(undefined)
          apple.setNotificationUrl(sink.url)
        }
        const where = `${scenario.name} [${runner}${mode.length > 0 ? ' --json' : ''}]`
        tally(figures.byExitCode, String(result.code))
        scan(`${where} stdout`, result.stdout)
        scan(`${where} stderr`, result.stderr)
        if (scenario.args[0] === 'run' && existsSync(junit)) {
          scan(`${where} junit`, await readFile(junit, 'utf8'))
          figures.junitFilesScanned++
        }
        expect(
          scenario.exits,
          `${where}: exit ${String(result.code)}\n${result.stdout}\n${result.stderr}`,
        ).toContain(result.code)
        if (mode.length > 0) {
          // --json: stdout holds JSON documents only (one, or one a line).
          for (const line of result.stdout.split('\n').filter((l) => l.trim() !== '')) {
            expect(() => JSON.parse(line) as unknown, `${where}: not JSON: ${line}`).not.toThrow()
          }
        }
      }
    }
  }

  const appleScenarios = (): Scenario[] => [
    { name: 'apple test', vendor: 'apple', args: ['apple', 'test'], exits: [0], binary: true },
    {
      name: 'apple test --wait',
      vendor: 'apple',
      args: ['apple', 'test', '--wait', '--timeout', '10s'],
      exits: [0],
      binary: true,
    },
    {
      name: 'apple test --wait, never delivered',
      vendor: 'apple',
      args: ['apple', 'test', '--wait', '--timeout', '1500ms'],
      setup: () => apple.setNotificationUrl('http://127.0.0.1:9/refused'),
      exits: [1],
    },
    {
      name: 'apple test, key from stdin',
      vendor: 'apple',
      args: ['apple', 'test'],
      env: ({ APPLE_PRIVATE_KEY: _key, ...rest }) => ({ ...rest, APPLE_PRIVATE_KEY_FILE: '-' }),
      input: (env) => env.APPLE_PRIVATE_KEY ?? '',
      exits: [0],
      binary: true,
    },
    {
      name: 'apple test, unknown key (401)',
      vendor: 'apple',
      args: ['apple', 'test'],
      env: (env) => ({ ...env, APPLE_KEY_ID: 'ZZZZZZZZZZ' }),
      exits: [3],
      binary: true,
    },
    {
      name: 'apple test, 500',
      vendor: 'apple',
      args: ['apple', 'test'],
      setup: appleFault('requestTestNotification', { kind: 'status', status: 500 }),
      exits: [4],
    },
    {
      name: 'apple test, dropped',
      vendor: 'apple',
      args: ['apple', 'test'],
      setup: appleFault('requestTestNotification', { kind: 'drop' }),
      exits: [4],
    },
    {
      name: 'apple test, HTML 502',
      vendor: 'apple',
      args: ['apple', 'test'],
      setup: appleFault('requestTestNotification', { kind: 'malformed', malformed: 'html' }),
      exits: [4],
    },
    {
      name: 'apple test, invalid JSON',
      vendor: 'apple',
      args: ['apple', 'test'],
      setup: appleFault('requestTestNotification', {
        kind: 'malformed',
        malformed: 'invalid-json',
      }),
      exits: [4],
    },
    {
      name: 'apple test, truncated',
      vendor: 'apple',
      args: ['apple', 'test'],
      setup: appleFault('requestTestNotification', { kind: 'malformed', malformed: 'truncated' }),
      exits: [4],
    },
    {
      name: 'apple test, answer lost after Apple acted',
      vendor: 'apple',
      args: ['apple', 'test'],
      setup: () => appleProxy.setPolicy(() => ({ kind: 'drop-response' })),
      exits: [4],
    },
    {
      name: 'apple test, no notification URL (4040007)',
      vendor: 'apple',
      args: ['apple', 'test'],
      setup: () => apple.setNotificationUrl(undefined),
      exits: [2],
    },
    {
      name: 'apple test, hostile vendor echoing the JWT',
      vendor: 'apple',
      args: ['apple', 'test', '--base-url', echoUrl],
      exits: [2],
      binary: true,
    },
    {
      name: 'apple status, unknown token',
      vendor: 'apple',
      args: ['apple', 'status', 'no-such-token'],
      exits: [2],
    },
    {
      name: 'apple status, 401',
      vendor: 'apple',
      args: ['apple', 'status', 'abc'],
      setup: appleFault('getTestNotificationStatus', { kind: 'status', status: 401 }),
      exits: [3],
    },
    {
      name: 'apple status, invalid JSON',
      vendor: 'apple',
      args: ['apple', 'status', 'abc'],
      setup: appleFault('getTestNotificationStatus', {
        kind: 'malformed',
        malformed: 'invalid-json',
      }),
      exits: [4],
    },
    {
      name: 'apple history',
      vendor: 'apple',
      args: ['apple', 'history', '--since', '1h'],
      // 1 once another scenario's notification was refused (SOCKET_ISSUE): history lists it.
      exits: [0, 1],
    },
    {
      name: 'apple history, 401',
      vendor: 'apple',
      args: ['apple', 'history', '--since', '1h'],
      setup: appleFault('getNotificationHistory', { kind: 'status', status: 401 }),
      exits: [3],
    },
    {
      name: 'apple history, hostile vendor',
      vendor: 'apple',
      args: ['apple', 'history', '--since', '1h', '--base-url', echoUrl],
      exits: [2],
    },
    {
      name: 'apple perf-test, no realtime URL',
      vendor: 'apple',
      args: ['apple', 'perf-test', '--original-transaction-id', '1'],
      exits: [2, 4],
    },
  ]

  const sailScenarios = (): Scenario[] => [
    { name: 'sailpoint test', vendor: 'sailpoint', args: SAIL_TEST, exits: [0], binary: true },
    {
      name: 'sailpoint test, secret from a file',
      vendor: 'sailpoint',
      args: SAIL_TEST,
      env: (env) => {
        const { SAIL_CLIENT_SECRET: secret = '', ...rest } = env
        const file = join(dir, `secret-${String(nextClient)}`)
        writeFileSync(file, secret)
        return { ...rest, SAIL_CLIENT_SECRET_FILE: file }
      },
      exits: [0],
    },
    {
      name: 'sailpoint test, wrong secret',
      vendor: 'sailpoint',
      args: SAIL_TEST,
      env: (env) => ({ ...env, SAIL_CLIENT_SECRET: `${env.SAIL_CLIENT_SECRET ?? ''}x` }),
      exits: [3],
      binary: true,
    },
    {
      name: 'sailpoint test, not an admin (403)',
      vendor: 'sailpoint',
      args: SAIL_TEST,
      env: (env) => {
        scanner.plant(userClient.clientSecret)
        return {
          ...env,
          SAIL_CLIENT_ID: userClient.clientId,
          SAIL_CLIENT_SECRET: userClient.clientSecret,
        }
      },
      exits: [3],
    },
    {
      name: 'sailpoint test, unknown template',
      vendor: 'sailpoint',
      args: ['sailpoint', 'test', '--key', 'no_such_key', '--medium', 'EMAIL', '--no-preflight'],
      exits: [2],
    },
    {
      name: 'sailpoint test, 500',
      vendor: 'sailpoint',
      args: [...SAIL_TEST, '--no-preflight'],
      setup: sailFault('sendTestNotification', { kind: 'status', status: 500 }),
      exits: [4],
    },
    {
      name: 'sailpoint test, dropped',
      vendor: 'sailpoint',
      args: [...SAIL_TEST, '--no-preflight'],
      setup: sailFault('sendTestNotification', { kind: 'drop' }),
      exits: [4],
    },
    {
      name: 'sailpoint test, token endpoint invalid JSON',
      vendor: 'sailpoint',
      args: SAIL_TEST,
      setup: sailFault('token', { kind: 'malformed', malformed: 'invalid-json' }),
      exits: [4],
    },
    {
      name: 'sailpoint test, token endpoint 401',
      vendor: 'sailpoint',
      args: SAIL_TEST,
      setup: sailFault('token', { kind: 'status', status: 401 }),
      exits: [3],
    },
    {
      name: 'sailpoint test, hostile vendor echoing the secret',
      vendor: 'sailpoint',
      args: [...SAIL_TEST, '--base-url', echoUrl],
      exits: [2, 3],
      binary: true,
    },
    {
      name: 'sailpoint templates',
      vendor: 'sailpoint',
      args: ['sailpoint', 'templates'],
      exits: [0],
    },
    {
      name: 'sailpoint templates, invalid JSON',
      vendor: 'sailpoint',
      args: ['sailpoint', 'templates'],
      setup: sailFault('listTemplates', { kind: 'malformed', malformed: 'invalid-json' }),
      exits: [4],
    },
  ]

  // One test per scenario, so a failure names it. The lists are built again when each runs: their
  // arguments hold URLs and files that exist only once the servers are up.
  const named = (scenarios: () => Scenario[], name: string): Scenario => {
    const scenario = scenarios().find((candidate) => candidate.name === name)
    if (scenario === undefined) throw new Error(`no scenario ${name}`)
    return scenario
  }
  describe('Apple commands', () => {
    for (const { name } of appleScenarios()) {
      it(name, () => runScenario(named(appleScenarios, name)), 60_000)
    }
  })

  describe('SailPoint commands', () => {
    for (const { name } of sailScenarios()) {
      it(name, () => runScenario(named(sailScenarios, name)), 60_000)
    }
  })

  describe('verify and run', () => {
    let jwt = ''
    let jwtFile = ''
    let both = ''
    let hostile = ''
    let inline = ''
    let pemInline = ''
    /** A secret written into a config file or a URL: refused, and never repeated. */
    let secret = ''

    beforeAll(async () => {
      // A JWT signed with a planted Apple key, offered to `apple verify` by file and on stdin.
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      scanner.plant(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)
      jwt = signJws(
        { alg: 'ES256', kid: 'ABCDEFGHIJ', typ: 'JWT' },
        { iss: 'x', aud: 'appstoreconnect-v1', bid: apple.bundleId },
        createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' })),
      )
      scanner.plant(jwt)
      jwtFile = join(dir, 'jwt.txt')
      await writeFile(jwtFile, jwt)
      secret = `cli-inline-secret-${randomBytes(16).toString('hex')}`
      scanner.plant(secret)
      const config = async (name: string, body: unknown): Promise<string> => {
        const file = join(dir, `config-${name}.json`)
        await writeFile(file, JSON.stringify(body))
        return file
      }
      const checks = [
        {
          key: 'cloud_manual_work_item_summary',
          medium: 'EMAIL',
          context: JSON.parse(CONTEXT) as unknown,
        },
      ]
      both = await config('both', { timeout: '20s', apple: {}, sailpoint: { checks } })
      hostile = await config('hostile', {
        timeout: '5s',
        apple: { baseUrl: echoUrl },
        sailpoint: { baseUrl: echoUrl, checks },
      })
      inline = await config('inline-secret', { sailpoint: { clientSecret: secret, checks } })
      pemInline = await config('inline-key', {
        apple: { privateKey: freshAppleEnv().APPLE_PRIVATE_KEY },
      })
    })

    it(
      'apple verify a JWT (file)',
      () =>
        runScenario({
          name: 'apple verify a JWT (file)',
          vendor: 'apple',
          args: ['apple', 'verify', jwtFile],
          exits: [1],
          binary: true,
        }),
      60_000,
    )

    it(
      'apple verify a JWT (stdin)',
      () =>
        runScenario({
          name: 'apple verify a JWT (stdin)',
          vendor: 'apple',
          args: ['apple', 'verify', '-'],
          input: () => JSON.stringify({ signedPayload: jwt }),
          exits: [1],
        }),
      60_000,
    )

    it(
      'run, both vendors',
      () =>
        runScenario({
          name: 'run, both vendors',
          vendor: 'both',
          args: ['run', '--config', both],
          exits: [0],
          binary: true,
        }),
      60_000,
    )

    it(
      'run, Apple 500 and SailPoint token 401',
      () =>
        runScenario({
          name: 'run, Apple 500 and SailPoint token 401',
          vendor: 'both',
          args: ['run', '--config', both],
          setup: () => {
            apple.faults.set('requestTestNotification', { kind: 'status', status: 500 })
            sailpoint.faults.set('token', { kind: 'status', status: 401 })
          },
          exits: [3, 4],
          binary: true,
        }),
      60_000,
    )

    it(
      'run, hostile vendors',
      () =>
        runScenario({
          name: 'run, hostile vendors',
          vendor: 'both',
          args: ['run', '--config', hostile],
          exits: [2, 3],
          binary: true,
        }),
      60_000,
    )

    it(
      'run, a secret inline in the config file',
      () =>
        runScenario({
          name: 'run, a secret inline in the config file',
          vendor: 'both',
          args: ['run', '--config', inline],
          exits: [2],
        }),
      60_000,
    )

    it(
      'run, a private key inline in the config file',
      () =>
        runScenario({
          name: 'run, a private key inline in the config file',
          vendor: 'both',
          args: ['run', '--config', pemInline],
          exits: [2],
        }),
      60_000,
    )

    it(
      'apple test, secret in --base-url user info',
      () =>
        runScenario({
          name: 'apple test, secret in --base-url user info',
          vendor: 'apple',
          args: ['apple', 'test', '--base-url', `https://user:${secret}@api.storekit.apple.com`],
          exits: [2],
        }),
      60_000,
    )
  })

  /**
   * Runs `argv --json` in this process: it must exit 2 with an error naming one of `names`, and
   * send nothing to `vendor` (`run` still checks the vendors whose settings are good).
   */
  async function expectUsageError(
    argv: readonly string[],
    names: readonly string[],
    env: Record<string, string>,
    vendor: 'apple' | 'sailpoint' | 'both' = 'both',
  ) {
    figures.propertyInputs++
    const count = (): number =>
      (vendor === 'sailpoint' ? 0 : apple.inspect().requests.length) +
      (vendor === 'apple' ? 0 : sailpoint.inspect().requests.length)
    const before = count()
    const result = await runMain([...argv, '--json'], env)
    const sent = count() - before
    scan(`property ${argv.join(' ')} stdout`, result.stdout)
    scan(`property ${argv.join(' ')} stderr`, result.stderr)
    expect(sent, `${argv.join(' ')}: a request was sent`).toBe(0)
    expect(result.code, `${argv.join(' ')}: ${result.stdout}`).toBe(2)
    type Failure = { kind: string; message: string }
    const document = JSON.parse(result.stdout) as {
      error?: Failure
      results?: { vendor: string; error?: Failure }[]
    }
    const errors =
      document.error !== undefined
        ? [document.error]
        : (document.results ?? []).flatMap((r) =>
            r.vendor === vendor && r.error !== undefined ? [r.error] : [],
          )
    expect(errors.length, `${argv.join(' ')}: no error reported: ${result.stdout}`).toBeGreaterThan(
      0,
    )
    for (const error of errors) expect(['invalid_input', 'config']).toContain(error.kind)
    expect(
      errors.some((error) => names.some((name) => error.message.includes(name))),
      `${argv.join(' ')}: the message does not name ${names.join(' or ')}: ${result.stdout}`,
    ).toBe(true)
    figures.propertyRefused++
  }

  it('property: bad command-line arguments exit 2, name the option, send nothing', async () => {
    const env = { NO_COLOR: '1', ...freshAppleEnv(), ...freshSailPointEnv() }
    const word = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((s) => !s.startsWith('-') && s.trim() === s && s !== '')
    const options: Record<string, [fc.Arbitrary<string>, readonly string[]]> = {
      '--key': [word.filter((s) => !/^[A-Za-z0-9_.-]+$/.test(s)), ['key']],
      '--medium': [word.filter((s) => !['EMAIL', 'SLACK', 'TEAMS'].includes(s)), ['--medium']],
      '--context': [
        fc.oneof(
          word.filter((s) => {
            try {
              const v: unknown = JSON.parse(s)
              return typeof v !== 'object' || v === null || Array.isArray(v)
            } catch {
              return true
            }
          }),
          fc.constantFrom('[]', '1', '"x"', 'null', '@/nonexistent/context.json', '{"a":'),
        ),
        ['context'],
      ],
      '--locale': [
        word.filter((s) => !/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(s)),
        ['locale'],
      ],
      '--recipient': [word.filter((s) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s)), ['recipient']],
      '--api-version': [word.filter((s) => s !== 'beta' && s !== 'v1'), ['--api-version']],
      '--base-url': [
        fc.oneof(
          word.filter((s) => !URL.canParse(s)),
          fc.webUrl().map((u) => u.replace(/^https?:/, 'http:')),
          fc.webUrl({ withFragments: true }).filter((u) => u.includes('#')),
          fc.webUrl().map((u) => u.replace('://', '://user:pw@')),
        ),
        ['baseUrl', 'base-url', 'SAIL_BASE_URL'],
      ],
      '--timeout': [word.filter((s) => !/^\d+(\.\d+)?(ms|s|m|h)?$/.test(s)), ['--timeout']],
    }
    const sailBase = [
      'sailpoint',
      'test',
      '--key',
      'cloud_manual_work_item_summary',
      '--medium',
      'EMAIL',
      '--context',
      CONTEXT,
      '--api-version',
      'v1',
      '--no-preflight',
    ]
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          ...Object.entries(options).map(([flag, [value, names]]) =>
            value.map((v) => ({ flag, value: v, names })),
          ),
          fc
            .stringMatching(/^[a-z][a-z-]{2,12}$/)
            .filter(
              (f) =>
                !Object.keys(options).includes(`--${f}`) &&
                !['json', 'no-preflight', 'help', 'version'].includes(f),
            )
            .map((f) => ({ flag: `--${f}`, value: 'x', names: [`--${f}`] })),
        ),
        async ({ flag, value, names }) => {
          const argv = [...sailBase]
          const at = argv.indexOf(flag)
          if (at === -1) argv.push(flag, value)
          else argv[at + 1] = value
          await expectUsageError(argv, names, env)
        },
      ),
      { numRuns: RUNS, seed: 20_260_602 },
    )
    const since = fc.oneof(
      fc
        .string({ maxLength: 12 })
        .filter((s) => !s.startsWith('-') && !/^\d/.test(s.trim()) && s.trim() === s),
      fc.constantFrom('-1h', '400d', '2999-01-01', '0', '1h1', 'P1D'),
    )
    await fc.assert(
      fc.asyncProperty(since, async (value) => {
        if (value === '') return
        await expectUsageError(['apple', 'history', '--since', value], ['since', 'startDate'], env)
      }),
      { numRuns: Math.ceil(RUNS / 2), seed: 20_260_603 },
    )
  }, 60_000)

  it('property: bad config files exit 2, name the field, send nothing', async () => {
    const env = { NO_COLOR: '1', ...freshAppleEnv(), ...freshSailPointEnv() }
    const check = {
      key: 'cloud_manual_work_item_summary',
      medium: 'EMAIL',
      context: JSON.parse(CONTEXT) as unknown,
    }
    const base = (): Record<string, unknown> => ({
      timeout: '20s',
      apple: {},
      sailpoint: { checks: [check] },
    })
    const nonString = fc.oneof(
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 2 }),
    )
    type Edit = { path: readonly string[]; value: unknown; names: readonly string[] }
    const at = (
      path: readonly string[],
      value: fc.Arbitrary<unknown>,
      names = [path.at(-1) ?? ''],
    ) => value.map((v): Edit => ({ path, value: v, names }))
    const edits: fc.Arbitrary<Edit> = fc.oneof(
      at(
        ['timeout'],
        fc.oneof(
          fc.integer({ max: 0 }),
          fc.constantFrom('soon', '5x', '', '-1s'),
          fc.constant(null),
        ),
      ),
      at(
        ['concurrency'],
        fc.oneof(
          fc.integer({ max: 0 }),
          fc.integer({ min: 17 }),
          fc.constant(1.5),
          fc.constant('2'),
        ),
      ),
      at(
        ['apple', 'environment'],
        fc.oneof(
          nonString,
          fc.string().filter((s) => s !== 'Sandbox' && s !== 'Production'),
        ),
      ),
      at(['apple', 'appAppleId'], fc.oneof(fc.integer({ max: 0 }), fc.constant(1.5), fc.string())),
      at(['apple', 'privateKeyFile'], fc.constantFrom('/nonexistent/AuthKey.p8', '')),
      at(
        ['apple', 'privateKey'],
        fc.constant('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----'),
      ),
      at(
        ['apple', 'baseUrl'],
        fc.constantFrom('http://evil.com', 'https://u:p@evil.com', 'https://x.com/#', 'nope'),
        ['baseUrl', 'APPLE_BASE_URL'],
      ),
      at(['apple', 'issuerId'], fc.oneof(nonString, fc.constant('not-a-uuid')), [
        'issuerId',
        'APPLE_ISSUER_ID',
      ]),
      at(['sailpoint', 'checks'], fc.oneof(fc.constant([]), nonString)),
      at(['sailpoint', 'clientSecret'], fc.constant('inline-secret-value')),
      at(['sailpoint', 'tenant'], fc.constantFrom('evil.com#', 'a.b', '169.254.169.254', ''), [
        'tenant',
      ]),
      at(
        ['sailpoint', 'tokenUrl'],
        fc.constantFrom('http://evil.com/oauth/token', 'https://evil.com/oauth/token'),
        ['tokenUrl'],
      ),
      at(
        ['sailpoint', 'apiVersion'],
        fc.string().filter((s) => s !== 'beta' && s !== 'v1'),
      ),
      at(['sailpoint', 'clientSecretFile'], fc.constant('/nonexistent/secret'), [
        'clientSecretFile',
      ]),
      at(['$schema'], fc.oneof(fc.integer(), fc.boolean())),
      fc
        .stringMatching(/^[a-z][a-zA-Z]{2,10}$/)
        .filter((k) => !['timeout', 'concurrency', 'apple', 'sailpoint'].includes(k))
        .map((k): Edit => ({ path: [k], value: 1, names: [k] })),
      fc
        .stringMatching(/^[a-z][a-zA-Z]{2,10}$/)
        .filter(
          (k) =>
            ![
              'issuerId',
              'keyId',
              'privateKeyFile',
              'bundleId',
              'environment',
              'appAppleId',
              'baseUrl',
              'rootCertificateFiles',
              'privateKey',
            ].includes(k),
        )
        .map((k): Edit => ({ path: ['apple', k], value: 'x', names: [k] })),
    )
    let index = 0
    await fc.assert(
      fc.asyncProperty(edits, async ({ path, value, names }) => {
        const config = base()
        let target = config
        for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>
        target[path.at(-1) ?? ''] = value
        // Only the vendor at fault: the other one would run its check (and take its time).
        if (path[0] === 'apple') config.sailpoint = false
        if (path[0] === 'sailpoint') config.apple = false
        const file = join(dir, `property-config-${String(index++)}.json`)
        await writeFile(file, JSON.stringify(config))
        // The message names the field by its path, or by the variable or option it overrides.
        const vendor = path[0] === 'apple' || path[0] === 'sailpoint' ? path[0] : 'both'
        await expectUsageError(['run', '--config', file], [path.join('.'), ...names], env, vendor)
      }),
      { numRuns: RUNS, seed: 20_260_604 },
    )
  }, 60_000)
})
