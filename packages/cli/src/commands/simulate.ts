import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { CommandContext, CommonOptions } from '../context.js'
import { formatDuration } from '../duration.js'
import { usageError } from '../errors.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import {
  GITHUB_REPOSITORY,
  startGitHubReceiver,
  type GitHubReceiver,
} from '../servers/github-receiver.js'
import { startLocalVendors, type LocalVendors } from '../servers/local-vendors.js'
import { untilStopped } from './until-stopped.js'
import { visible } from '../output/terminal-text.js'

export interface SimulateOptions extends CommonOptions {
  readonly applePort?: number
  readonly sailpointPort?: number
  readonly githubPort?: number
  readonly appleEnvironment?: 'Sandbox' | 'Production'
  readonly dir?: string
  readonly notificationUrl?: string
  readonly realtimeUrl?: string
  readonly tls?: boolean
}

const CONTROL = '/__simulator'

/**
 * `notiprobe simulate`: the three simulators until interrupted (or `--timeout`), and everything a
 * client needs to use them, written to files where a client wants files (the key, the root, the
 * secret) and printed, as one JSON document with `--json`.
 */
export async function runSimulate(
  context: CommandContext,
  options: SimulateOptions,
): Promise<ExitCode> {
  const { output, io } = context
  const c = output.color
  for (const [option, url] of [
    ['--notification-url', options.notificationUrl],
    ['--realtime-url', options.realtimeUrl],
  ] as const) {
    if (url !== undefined && !/^https?:$/.test(safeUrl(url)?.protocol ?? '')) {
      throw usageError(
        `${option}: expected an http(s) URL such as http://127.0.0.1:8787/, got ${JSON.stringify(url)}.`,
        {
          operation: context.operation,
        },
      )
    }
  }
  // The directory's path goes into a file a shell sources, and a comment line there: a line break
  // (or any control character) in it could not be quoted safely on that comment line.
  // eslint-disable-next-line no-control-regex
  if (options.dir !== undefined && /[\u0000-\u001f\u007f]/.test(options.dir)) {
    throw usageError(
      `--dir: the directory name holds a control character (a line break, a tab...); give a plain path.`,
      { operation: context.operation },
    )
  }
  const ownDir = options.dir === undefined
  const dir = ownDir
    ? await mkdtemp(join(tmpdir(), 'notiprobe-simulate-'))
    : resolve(io.cwd, options.dir ?? '.')
  let vendors: LocalVendors | undefined
  let closeReceiver: (() => Promise<void>) | undefined
  try {
    if (!ownDir) await mkdir(dir, { recursive: true })
    const tls = options.tls === true ? await createTls(dir) : undefined
    vendors = await startLocalVendors({
      tls: tls?.server,
      apple: {
        port: options.applePort,
        environment: options.appleEnvironment,
        notificationUrl: options.notificationUrl,
        realtimeUrl: options.realtimeUrl,
      },
      sailpoint: { port: options.sailpointPort },
      github: { port: options.githubPort },
      now: io.now,
      operation: context.operation,
      onNotification: ({ receivedAt, notification: n }) =>
        output.note(
          `${c.green('✔')} ${new Date(receivedAt).toISOString().slice(11, 19)} Apple ${n.notificationType} notification ${n.notificationUUID} delivered to the receiver and verified`,
        ),
      onRefused: (error) =>
        output.note(`${c.red('✖')} the receiver refused a request: ${visible(error.message)}`),
    })
    const receiver = await startGitHubReceiver(vendors.github, context.operation, (event) =>
      output.note(
        `${c.green('✔')} ${new Date(io.now()).toISOString().slice(11, 19)} GitHub ${event.name} delivery ${event.deliveryId} received and its signature verified`,
      ),
    )
    closeReceiver = () => receiver.close()
    // An organization hook too, to the same receiver, so `github test --org` has one to ping.
    const orgHook = vendors.github.createHook({
      target: { org: GITHUB_REPOSITORY.owner },
      url: receiver.url,
      secret: receiver.secret,
      events: ['push'],
    })
    const info = await writeClientFiles(
      vendors,
      receiver,
      { org: GITHUB_REPOSITORY.owner, hookId: orgHook.id },
      dir,
      tls?.caFile,
    )
    // One write of the whole document: a script polling `simulate --json > file` sees all or nothing.
    if (output.json) output.emit(info)
    else printInfo(context, info, options.timeout)
    const how = await untilStopped([context.signal], options.timeout)
    output.note(c.dim('Stopping the simulators.'))
    return how === 'interrupted' ? EXIT.interrupted : EXIT.ok
  } finally {
    await closeReceiver?.()
    await vendors?.close()
    // A temporary directory held a key the simulator no longer accepts: nothing worth keeping.
    if (ownDir) await rm(dir, { recursive: true, force: true })
  }
}

/** What `simulate --json` prints. */
export interface SimulateInfo {
  readonly directory: string
  readonly envFile: string
  readonly apple: {
    readonly baseUrl: string
    readonly environment: string
    readonly bundleId: string
    readonly appAppleId: number
    readonly issuerId: string
    readonly keyId: string
    readonly privateKeyFile: string
    readonly rootCertificateFile: string
    readonly notificationUrl: string | undefined
    readonly realtimeUrl: string | undefined
    readonly inspectUrl: string
    readonly faultsUrl: string
  }
  readonly sailpoint: {
    readonly baseUrl: string
    readonly tokenUrl: string
    readonly tenant: string
    readonly clientId: string
    readonly clientSecret: string
    readonly clientSecretFile: string
    readonly clientSecretNote: string
    readonly inspectUrl: string
    readonly faultsUrl: string
  }
  readonly github: {
    readonly baseUrl: string
    readonly token: string
    readonly repository: string
    readonly hookId: number
    /** An organization hook delivering to the same receiver. */
    readonly organization: { readonly org: string; readonly hookId: number }
    readonly receiverUrl: string
    readonly webhookSecretFile: string
    readonly app: {
      readonly clientId: string
      readonly appId: number
      readonly installationId: number
      readonly privateKeyFile: string
    }
    readonly inspectUrl: string
    readonly faultsUrl: string
  }
  /** With `--tls`: the CA a client must trust (`NODE_EXTRA_CA_CERTS`, which `env` sets). */
  readonly tls?: { readonly caCertificateFile: string }
  /** The variables notiprobe (and SailPoint's own SDKs) read, set for these simulators. */
  readonly env: Readonly<Record<string, string>>
}

/** `--tls`: a CA and a loopback certificate made for this run, the CA written where clients read it. */
async function createTls(
  dir: string,
): Promise<{ server: { cert: string; key: string }; caFile: string }> {
  const { createLoopbackTls } = await import('@notiprobe/simulator')
  const tls = await createLoopbackTls()
  const caFile = join(dir, 'simulator-tls-ca.pem')
  await writeFile(caFile, tls.caCertificatePem)
  return { server: { cert: tls.cert, key: tls.key }, caFile }
}

async function writeClientFiles(
  vendors: LocalVendors,
  receiver: GitHubReceiver,
  organization: { readonly org: string; readonly hookId: number },
  dir: string,
  tlsCaFile: string | undefined,
): Promise<SimulateInfo> {
  const { apple, sailpoint, github } = vendors
  const githubKeyFile = join(dir, 'github-app.private-key.pem')
  const webhookSecretFile = join(dir, 'github-webhook-secret')
  const repository = `${GITHUB_REPOSITORY.owner}/${GITHUB_REPOSITORY.repo}`
  const key = apple.credentials
  const privateKeyFile = join(dir, `AuthKey_${key.keyId}.p8`)
  const rootCertificateFile = join(dir, 'apple-simulator-root.pem')
  const clientSecretFile = join(dir, 'sailpoint-client-secret')
  const envFile = join(dir, 'notiprobe.env')
  const env: Record<string, string> = {
    APPLE_BASE_URL: apple.baseUrl,
    APPLE_ENVIRONMENT: apple.environment,
    APPLE_BUNDLE_ID: apple.bundleId,
    APPLE_APP_APPLE_ID: String(apple.appAppleId),
    APPLE_ISSUER_ID: key.issuerId,
    APPLE_KEY_ID: key.keyId,
    APPLE_PRIVATE_KEY_FILE: privateKeyFile,
    APPLE_ROOT_CERTIFICATES_FILE: rootCertificateFile,
    SAIL_BASE_URL: sailpoint.baseUrl,
    SAIL_CLIENT_ID: sailpoint.credentials.clientId,
    // The simulator's own, generated secret (not a real credential), where SailPoint's SDKs look.
    SAIL_CLIENT_SECRET: sailpoint.credentials.clientSecret,
    // A token or an App, not both: the App's settings are in the JSON and its key file.
    GITHUB_API_URL: github.baseUrl,
    GITHUB_TOKEN: github.credentials.token,
    GITHUB_REPOSITORY: repository,
    GITHUB_HOOK_ID: String(receiver.hookId),
    // Read by Node at start: every later process trusts the simulators' HTTPS certificate.
    ...(tlsCaFile === undefined ? {} : { NODE_EXTRA_CA_CERTS: tlsCaFile }),
  }
  await Promise.all([
    writeSecret(privateKeyFile, key.privateKeyPem),
    writeFile(rootCertificateFile, apple.rootCertificatePem),
    writeSecret(clientSecretFile, `${sailpoint.credentials.clientSecret}\n`),
    writeSecret(githubKeyFile, github.credentials.app.privateKeyPem),
    writeSecret(webhookSecretFile, `${receiver.secret}\n`),
    writeFile(
      envFile,
      `# notiprobe simulate: load with  set -a; . ${shellQuote(envFile)}; set +a\n${Object.entries(
        env,
      )
        .map(([name, value]) => `${name}=${shellQuote(value)}`)
        .join('\n')}\n`,
    ),
  ])
  const inspectInfo = apple.inspect()
  return {
    directory: dir,
    envFile,
    apple: {
      baseUrl: apple.baseUrl,
      environment: apple.environment,
      bundleId: apple.bundleId,
      appAppleId: apple.appAppleId,
      issuerId: key.issuerId,
      keyId: key.keyId,
      privateKeyFile,
      rootCertificateFile,
      notificationUrl: inspectInfo.notificationUrl,
      realtimeUrl: inspectInfo.realtimeUrl,
      inspectUrl: `${apple.baseUrl}${CONTROL}/inspect`,
      faultsUrl: `${apple.baseUrl}${CONTROL}/faults`,
    },
    sailpoint: {
      baseUrl: sailpoint.baseUrl,
      tokenUrl: sailpoint.tokenUrl,
      tenant: sailpoint.tenant,
      clientId: sailpoint.credentials.clientId,
      clientSecret: sailpoint.credentials.clientSecret,
      clientSecretFile,
      clientSecretNote: 'Generated by the simulator for this run; not a real credential.',
      inspectUrl: `${sailpoint.baseUrl}${CONTROL}/inspect`,
      faultsUrl: `${sailpoint.baseUrl}${CONTROL}/faults`,
    },
    github: {
      baseUrl: github.baseUrl,
      token: github.credentials.token,
      repository,
      hookId: receiver.hookId,
      organization,
      receiverUrl: receiver.url,
      webhookSecretFile,
      app: {
        clientId: github.credentials.app.clientId,
        appId: github.credentials.app.appId,
        installationId: github.credentials.app.installationId,
        privateKeyFile: githubKeyFile,
      },
      inspectUrl: `${github.baseUrl}${CONTROL}/inspect`,
      faultsUrl: `${github.baseUrl}${CONTROL}/faults`,
    },
    ...(tlsCaFile === undefined ? {} : { tls: { caCertificateFile: tlsCaFile } }),
    env,
  }
}

async function writeSecret(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 })
  await chmod(path, 0o600)
}

function printInfo(
  context: CommandContext,
  info: SimulateInfo,
  timeoutMs: number | undefined,
): void {
  const { output } = context
  const c = output.color
  const section = (
    title: string,
    rows: readonly (readonly [string, string | undefined])[],
  ): void => {
    output.print(c.bold(title))
    const width = Math.max(...rows.map(([label]) => label.length))
    for (const [label, value] of rows) {
      if (value !== undefined) output.print(`  ${c.dim(label.padEnd(width))}  ${value}`)
    }
    output.print()
  }
  const a = info.apple
  const s = info.sailpoint
  output.print(
    `${c.green('●')} notiprobe simulators running on 127.0.0.1 ${c.dim(timeoutMs === undefined ? '(Ctrl-C to stop)' : `(for ${formatDuration(timeoutMs)}; Ctrl-C to stop sooner)`)}`,
  )
  output.print()
  section(`Apple App Store Server API (${a.environment})`, [
    ['base URL', a.baseUrl],
    ['bundle id', a.bundleId],
    ['app Apple ID', String(a.appAppleId)],
    ['issuer id', a.issuerId],
    ['key id', a.keyId],
    ['private key', a.privateKeyFile],
    [
      'root certificate',
      `${a.rootCertificateFile} ${c.dim('(trust it to verify signed payloads)')}`,
    ],
    [
      'notification URL',
      a.notificationUrl === undefined
        ? undefined
        : `${a.notificationUrl} ${c.dim('(a verifying receiver in this process)')}`,
    ],
    ['realtime URL', a.realtimeUrl],
    ['inspect, faults', `${a.inspectUrl}, ${a.faultsUrl}`],
  ])
  section('SailPoint Identity Security Cloud', [
    ['base URL', s.baseUrl],
    ['token URL', s.tokenUrl],
    ['client id', s.clientId],
    [
      'client secret',
      `${s.clientSecret} ${c.dim(`(${s.clientSecretNote.toLowerCase().replace(/\.$/, '')})`)}`,
    ],
    ['secret file', s.clientSecretFile],
    ['inspect, faults', `${s.inspectUrl}, ${s.faultsUrl}`],
  ])
  const g = info.github
  section('GitHub webhooks', [
    ['API URL', g.baseUrl],
    ['token', `${g.token} ${c.dim('(generated by the simulator for this run)')}`],
    [
      'hook',
      `${g.hookId} of ${g.repository} → ${g.receiverUrl} ${c.dim('(a verifying receiver in this process)')}`,
    ],
    ['organization hook', `${g.organization.hookId} of ${g.organization.org} → the same receiver`],
    ['webhook secret', g.webhookSecretFile],
    [
      'App',
      `client id ${g.app.clientId}, installation ${g.app.installationId}, key ${g.app.privateKeyFile}`,
    ],
    ['inspect, faults', `${g.inspectUrl}, ${g.faultsUrl}`],
  ])
  if (info.tls !== undefined) {
    section('HTTPS', [
      [
        'CA certificate',
        `${info.tls.caCertificateFile} ${c.dim('(NODE_EXTRA_CA_CERTS in the env file trusts it)')}`,
      ],
    ])
  }
  output.print(c.bold('Use it from another terminal'))
  output.print(`  set -a; . ${shellQuote(info.envFile)}; set +a`)
  output.print('  notiprobe apple test --wait')
  output.print(
    `  notiprobe sailpoint test --key cloud_manual_work_item_summary --medium EMAIL --context '{"numberOfPendingTasks": "4"}'`,
  )
  output.print('  notiprobe github test --wait')
  output.print()
}

/** `text` as one word for a POSIX shell: single-quoted, nothing inside expanded. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}
