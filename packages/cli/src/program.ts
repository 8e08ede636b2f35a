import { APPLE_ENVIRONMENTS } from '@notiprobe/apple/values'
import { API_VERSIONS, MEDIUMS } from '@notiprobe/sailpoint/values'
import { Command, Help, InvalidArgumentError, Option } from 'commander'
import type { AppleHistoryOptions } from './commands/apple-history.js'
import type { ApplePerfTestOptions } from './commands/apple-perf-test.js'
import type { AppleStatusOptions } from './commands/apple-status.js'
import type { AppleTestOptions } from './commands/apple-test.js'
import type { AppleVerifyOptions } from './commands/apple-verify.js'
import type { DemoOptions } from './commands/demo.js'
import type { GitHubDeliveriesOptions } from './commands/github-deliveries.js'
import type { GitHubRedeliverOptions } from './commands/github-redeliver.js'
import type { GitHubTestOptions } from './commands/github-test.js'
import type { ListenOptions } from './commands/listen.js'
import type { RunOptions } from './commands/run.js'
import type { SailPointTemplatesOptions } from './commands/sailpoint-templates.js'
import type { SailPointTestOptions } from './commands/sailpoint-test.js'
import type { SimulateOptions } from './commands/simulate.js'
import type { CommandContext, CommonOptions } from './context.js'
import { parseDuration } from './duration.js'
import { canonicalChoice } from './one-of.js'
import { EXIT_CODES_HELP, type ExitCode } from './exit-codes.js'
import { VERSION } from './version.js'

/**
 * The command tree. Nothing here loads a vendor package, the simulator, ora or cli-table3: each
 * action imports its command module when it runs, so `notiprobe --help` stays fast.
 */

/** Runs one command's body with its context; supplied by `main`. */
export type Dispatch = (
  name: string,
  options: CommonOptions,
  body: (context: CommandContext) => Promise<ExitCode>,
) => Promise<void>

const APPLE_SETTINGS = `  Apple      APPLE_ISSUER_ID, APPLE_KEY_ID, APPLE_BUNDLE_ID,
             APPLE_PRIVATE_KEY_FILE (the .p8; - for stdin) or APPLE_PRIVATE_KEY,
             APPLE_ENVIRONMENT (Sandbox | Production), APPLE_APP_APPLE_ID (Production)`

const SAILPOINT_SETTINGS = `  SailPoint  SAIL_TENANT or SAIL_BASE_URL, SAIL_CLIENT_ID,
             SAIL_CLIENT_SECRET or SAIL_CLIENT_SECRET_FILE (- for stdin),
             SAIL_API_VERSION (beta | v1)`

const GITHUB_SETTINGS = `  GitHub     GH_TOKEN or GITHUB_TOKEN (Webhooks permission), or a GitHub App:
             GITHUB_APP_CLIENT_ID or GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY_FILE or
             GITHUB_APP_PRIVATE_KEY, GITHUB_APP_INSTALLATION_ID; GITHUB_API_URL;
             the hook: GITHUB_REPOSITORY or GITHUB_ORG with GITHUB_HOOK_ID,
             or GITHUB_HOOK_TARGET=app`

const SETTINGS_TITLE = 'Settings (secrets only from the environment, a file or stdin):'

const ENVIRONMENT_HELP = `${SETTINGS_TITLE}
${APPLE_SETTINGS}
${SAILPOINT_SETTINGS}
${GITHUB_SETTINGS}
  Output     --json: JSON only, errors as {"error": {...}}; NO_COLOR: no colour`

/** Where commander writes help and parse errors; set before any subcommand so all inherit it. */
export interface ProgramOutput {
  writeOut(text: string): void
  writeErr(text: string): void
  /** A parse error (unknown option, missing argument); `write` is writeErr. */
  outputError(text: string, write: (text: string) => void): void
}

export function buildProgram(dispatch: Dispatch, output: ProgramOutput): Command {
  const program = new Command('notiprobe')
    .exitOverride()
    .configureOutput(output)
    .description(
      'Ask a vendor to send a test notification and report, with evidence, whether it arrived.',
    )
    .version(VERSION, '-V, --version')
    .helpCommand(false)
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({
      visibleCommands: leafCommands,
      subcommandTerm: commandTerm,
      optionDescription,
    })
    .addHelpText(
      'after',
      `
Try it with no account and no network:
  $ notiprobe demo

${ENVIRONMENT_HELP}

${EXIT_CODES_HELP}`,
    )

  leaf(
    program,
    'demo',
    'Run every check against the embedded simulators: no account, no network.',
    ['notiprobe demo', 'notiprobe demo --json | jq .checks'],
  )
    .addOption(timeoutOption('the whole demo', '60s'))
    .action(async (options: DemoOptions) => {
      await dispatch('demo', options, async (context) =>
        (await import('./commands/demo.js')).runDemo(context, options),
      )
    })

  leaf(
    program,
    'simulate',
    'Run the Apple, SailPoint and GitHub simulators until interrupted, and print how to reach them.',
    ['notiprobe simulate', 'notiprobe simulate --json --apple-port 9001 --sailpoint-port 9002'],
  )
    .addOption(
      new Option(
        '--apple-port <port>',
        'port of the Apple simulator (default: any free)',
      ).argParser(port),
    )
    .addOption(
      new Option(
        '--sailpoint-port <port>',
        'port of the SailPoint simulator (default: any free)',
      ).argParser(port),
    )
    .addOption(
      new Option(
        '--github-port <port>',
        'port of the GitHub simulator (default: any free)',
      ).argParser(port),
    )
    .addOption(
      new Option(
        '--apple-environment <environment>',
        'environment the Apple simulator plays: Sandbox (360 status calls an hour) or Production (3,600)',
      )
        .choices(APPLE_ENVIRONMENTS)
        .argParser(oneOf(APPLE_ENVIRONMENTS))
        .default('Sandbox'),
    )
    .addOption(
      new Option(
        '--dir <path>',
        'where to write the Apple key (.p8) and root certificate (default: a new temporary directory)',
      ),
    )
    .addOption(
      new Option(
        '--notification-url <url>',
        'where the Apple simulator POSTs test notifications (e.g. a `notiprobe listen` URL)',
      ),
    )
    .addOption(
      new Option(
        '--realtime-url <url>',
        'the Retention Messaging endpoint its performance test loads',
      ),
    )
    .option(
      '--tls',
      'serve HTTPS with a certificate from a CA made for this run (its file is printed; the env file sets NODE_EXTRA_CA_CERTS)',
    )
    .addOption(timeoutOption('how long to run', 'until interrupted'))
    .action(async (options: SimulateOptions) => {
      await dispatch('simulate', options, async (context) =>
        (await import('./commands/simulate.js')).runSimulate(context, options),
      )
    })

  const apple = program
    .command('apple')
    .description(
      'Apple App Store Server API: test notifications, history, performance test, verification.',
    )
    .helpCommand(false)
    .addHelpText('after', `\n${SETTINGS_TITLE}\n${APPLE_SETTINGS}`)

  leaf(
    apple,
    'test',
    'Ask Apple to send a TEST notification to your server URL; --wait confirms delivery.',
    [
      'notiprobe apple test --wait',
      'APPLE_PRIVATE_KEY_FILE=./AuthKey_ABC123.p8 notiprobe apple test --wait --json',
    ],
  )
    .option('--wait', 'follow the notification until Apple reports its delivery, and verify it')
    .addOption(appleBaseUrlOption())
    .addOption(proxyOption())
    .addOption(rootCertOption())
    .addOption(
      timeoutOption('the request, and with --wait the wait for delivery', '30s; 2m with --wait'),
    )
    .action(async (options: AppleTestOptions) => {
      await dispatch('apple.test', options, async (context) =>
        (await import('./commands/apple-test.js')).runAppleTest(context, options),
      )
    })

  leaf(apple, 'status', 'Show what Apple knows about a test notification, by its token.', [
    'notiprobe apple status 5f6c3e1a-0d0b-4e6c-9d5e-2a1f0c3b4d5e',
  ])
    .argument('<token>', 'the testNotificationToken that `apple test` printed')
    .addOption(appleBaseUrlOption())
    .addOption(proxyOption())
    .addOption(rootCertOption())
    .addOption(timeoutOption('the request', '30s'))
    .action(async (token: string, options: AppleStatusOptions) => {
      await dispatch('apple.status', options, async (context) =>
        (await import('./commands/apple-status.js')).runAppleStatus(context, token, options),
      )
    })

  leaf(apple, 'history', 'List the notifications Apple sent (or failed to send) since a date.', [
    'notiprobe apple history --since 24h',
    'notiprobe apple history --since 2026-01-01 --type TEST --only-failures --json',
  ])
    .requiredOption(
      '--since <date|duration>',
      'start: a date (2026-01-31, ISO 8601) or a duration ago (24h, 7d)',
    )
    .option('--until <date|duration>', 'end (default: now)')
    .option(
      '--type <notificationType>',
      'only this notificationType, e.g. TEST, SUBSCRIBED, DID_RENEW',
    )
    .option('--subtype <subtype>', 'only this notificationSubtype (needs --type)')
    .option('--transaction-id <id>', 'only notifications about this transaction (not with --type)')
    .option('--only-failures', 'only notifications that did not reach your server')
    .addOption(new Option('--limit <n>', 'stop after n notifications').argParser(positiveInt))
    .addOption(appleBaseUrlOption())
    .addOption(proxyOption())
    .addOption(rootCertOption())
    .addOption(timeoutOption('the whole listing', '2m'))
    .action(async (options: AppleHistoryOptions) => {
      await dispatch('apple.history', options, async (context) =>
        (await import('./commands/apple-history.js')).runAppleHistory(context, options),
      )
    })

  leaf(
    apple,
    'perf-test',
    'Start a Retention Messaging performance test of your realtime endpoint (sandbox).',
    [
      'notiprobe apple perf-test --original-transaction-id 2000000123456789 --wait',
      'notiprobe apple perf-test --request-id 5f6c3e1a-0d0b-4e6c-9d5e-2a1f0c3b4d5e --wait',
    ],
  )
    .option(
      '--original-transaction-id <id>',
      'start a test: a sandbox originalTransactionId Apple puts in each request (required unless --request-id)',
    )
    .option('--request-id <id>', 'follow a test already started, by the request id it printed')
    .option('--wait', 'follow the test to its result (PASS or FAIL)')
    .addOption(appleBaseUrlOption())
    .addOption(proxyOption())
    .addOption(
      timeoutOption('the request, and with --wait the wait for the result', '30s; 5m with --wait'),
    )
    .action(async (options: ApplePerfTestOptions) => {
      await dispatch('apple.perf-test', options, async (context) =>
        (await import('./commands/apple-perf-test.js')).runApplePerfTest(context, options),
      )
    })

  leaf(apple, 'verify', 'Verify and decode a signedPayload, or a notification body holding one.', [
    'notiprobe apple verify notification.json',
    'pbpaste | notiprobe apple verify - --bundle-id com.example.app --environment Sandbox',
  ])
    .argument(
      '[file]',
      'a file holding the JWS or {"signedPayload": ...}; - or nothing: standard input',
    )
    .addOption(expectedBundleIdOption())
    .addOption(expectedEnvironmentOption())
    .addOption(expectedAppAppleIdOption())
    .addOption(rootCertOption())
    .action(async (file: string | undefined, options: AppleVerifyOptions) => {
      await dispatch('apple.verify', options, async (context) =>
        (await import('./commands/apple-verify.js')).runAppleVerify(context, file, options),
      )
    })

  const sailpoint = program
    .command('sailpoint')
    .description('SailPoint Identity Security Cloud: send a test notification, list templates.')
    .helpCommand(false)
    .addHelpText('after', `\n${SETTINGS_TITLE}\n${SAILPOINT_SETTINGS}`)

  leaf(sailpoint, 'test', 'Ask SailPoint to send a test notification from a template.', [
    'notiprobe sailpoint test --key cloud_manual_work_item_summary --medium EMAIL',
    'notiprobe sailpoint test --key access_request_reviewer --medium SLACK --context @context.json',
  ])
    .requiredOption(
      '--key <key>',
      'template key, e.g. cloud_manual_work_item_summary (see `sailpoint templates`)',
    )
    .addOption(
      new Option('--medium <medium>', 'where to send it')
        .choices(MEDIUMS)
        .argParser(oneOf(MEDIUMS))
        .makeOptionMandatory(),
    )
    .option('--context <json|@file>', 'template variables: a JSON object, or @file holding one')
    .option('--locale <locale>', 'template locale, e.g. en')
    .addOption(
      new Option(
        '--recipient <email>',
        "send to this address instead of the template's (repeatable)",
      ).argParser(collect),
    )
    .option('--no-preflight', 'skip the check that the template key and medium exist')
    .addOption(sailPointApiVersionOption())
    .addOption(sailPointBaseUrlOption())
    .addOption(proxyOption())
    .addOption(timeoutOption('the request, token and pre-flight check included', '30s'))
    .action(async (options: SailPointTestOptions) => {
      await dispatch('sailpoint.test', options, async (context) =>
        (await import('./commands/sailpoint-test.js')).runSailPointTest(context, options),
      )
    })

  leaf(
    sailpoint,
    'templates',
    'List the notification templates of the tenant (customised, then defaults), with their mediums and variables.',
    ['notiprobe sailpoint templates', 'notiprobe sailpoint templates --medium EMAIL --json'],
  )
    .option('--key <key>', 'only this template key')
    .addOption(
      new Option('--medium <medium>', 'only this medium')
        .choices(MEDIUMS)
        .argParser(oneOf(MEDIUMS)),
    )
    .option('--locale <locale>', 'only this locale')
    .option(
      '--no-variables',
      "skip reading each template's variables (one request per key and medium)",
    )
    .addOption(sailPointApiVersionOption())
    .addOption(sailPointBaseUrlOption())
    .addOption(proxyOption())
    .addOption(timeoutOption('the listing', '30s'))
    .action(async (options: SailPointTemplatesOptions) => {
      await dispatch('sailpoint.templates', options, async (context) =>
        (await import('./commands/sailpoint-templates.js')).runSailPointTemplates(context, options),
      )
    })

  const github = program
    .command('github')
    .description('GitHub webhooks: ping a hook and confirm it in the deliveries log, redeliver.')
    .helpCommand(false)
    .addHelpText('after', `\n${SETTINGS_TITLE}\n${GITHUB_SETTINGS}`)

  githubTargetOptions(
    leaf(github, 'test', "Ping a webhook; --wait confirms the delivery in the hook's log.", [
      'notiprobe github test --repo octocat/hello-world --hook-id 12345678 --wait',
      'notiprobe github test --org acme --hook-id 87654321 --wait --json',
      'notiprobe github test --app --wait   # redelivers the App hook’s newest delivery',
    ]),
  )
    .option('--push', 'the push test instead of a ping (repository hooks subscribed to push)')
    .option('--wait', "wait until the delivery shows in the hook's log, and report its answer")
    .addOption(proxyOption())
    .addOption(timeoutOption('the request; with --wait, the whole wait', '30s; 5m with --wait'))
    .action(async (options: GitHubTestOptions) => {
      await dispatch('github.test', options, async (context) =>
        (await import('./commands/github-test.js')).runGitHubTest(context, options),
      )
    })

  githubTargetOptions(
    leaf(github, 'deliveries', "List the hook's deliveries, newest first.", [
      'notiprobe github deliveries --repo octocat/hello-world --hook-id 12345678',
      'notiprobe github deliveries --app --failures --json',
    ]),
  )
    .option('--failures', 'only failed deliveries (status codes 400–599)')
    .addOption(
      new Option('--limit <n>', 'at most n deliveries (default: 30)').argParser(positiveInt),
    )
    .addOption(proxyOption())
    .addOption(timeoutOption('the listing', '30s'))
    .action(async (options: GitHubDeliveriesOptions) => {
      await dispatch('github.deliveries', options, async (context) =>
        (await import('./commands/github-deliveries.js')).runGitHubDeliveries(context, options),
      )
    })

  githubTargetOptions(
    leaf(github, 'redeliver', 'Ask GitHub to deliver a delivery again; --wait confirms it.', [
      'notiprobe github redeliver 12345678901 --repo octocat/hello-world --hook-id 12345678 --wait',
    ]),
  )
    .argument('<id>', "the delivery's id (see `github deliveries`)")
    .option('--wait', "wait until the redelivery shows in the hook's log")
    .addOption(proxyOption())
    .addOption(timeoutOption('the request; with --wait, the whole wait', '30s; 5m with --wait'))
    .action(async (id: string, options: GitHubRedeliverOptions) => {
      await dispatch('github.redeliver', options, async (context) =>
        (await import('./commands/github-redeliver.js')).runGitHubRedeliver(context, id, options),
      )
    })

  leaf(program, 'run', 'Test every configured vendor at once and report; --junit for CI.', [
    'notiprobe run --config notiprobe.config.json --junit reports/notiprobe.xml',
    'notiprobe run   # vendors configured in the environment, or ./notiprobe.config.json',
  ])
    .option(
      '--config <file>',
      'JSON config file (default: ./notiprobe.config.json if present, else the environment)',
    )
    .option('--junit <file>', 'also write a JUnit XML report, one test case per vendor check')
    .option('--apple-base-url <url>', 'override the Apple host (http allowed on loopback only)')
    .option(
      '--sailpoint-base-url <url>',
      'override the SailPoint tenant URL (http allowed on loopback only)',
    )
    .option(
      '--github-base-url <url>',
      'override the GitHub API URL (http allowed on loopback only)',
    )
    .addOption(proxyOption())
    .addOption(rootCertOption())
    .addOption(timeoutOption('each check', '2m'))
    .action(async (options: RunOptions) => {
      await dispatch('run', options, async (context) =>
        (await import('./commands/run.js')).runRun(context, options),
      )
    })

  leaf(
    program,
    'listen',
    'Receive Apple notifications (or GitHub webhooks) locally, verify each, and print it.',
    [
      'notiprobe listen --port 8787',
      'notiprobe listen --port 8787 --path /github --github-secret-file webhook-secret.txt',
      'notiprobe listen --port 0 --count 1 --json',
    ],
  )
    .addOption(
      new Option('--port <port>', 'port on 127.0.0.1; 0 picks a free one')
        .default(8787)
        .argParser(port),
    )
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--path <path>', 'path that receives notifications', '/')
    .addOption(expectedBundleIdOption())
    .addOption(expectedEnvironmentOption())
    .addOption(expectedAppAppleIdOption())
    .addOption(rootCertOption())
    .addOption(
      new Option('--count <n>', 'exit after n verified notifications').argParser(positiveInt),
    )
    .option(
      '--github-secret-file <file>',
      "receive GitHub webhooks instead, each X-Hub-Signature-256 checked with the hook's secret in this file (- for stdin)",
    )
    .addOption(timeoutOption('how long to listen', 'until interrupted'))
    .action(async (options: ListenOptions) => {
      await dispatch('listen', options, async (context) =>
        (await import('./commands/listen.js')).runListen(context, options),
      )
    })

  // `notiprobe help apple test` is `notiprobe apple test --help`, at any depth.
  program
    .command('help [command...]', { hidden: true })
    .description('Show the help of a command.')
    .action((words: string[]) => {
      helpOf(program, words).outputHelp()
    })

  return program
}

/** The command `words` name (`['apple', 'test']`); an unknown one is a usage error (exit 2). */
function helpOf(program: Command, words: readonly string[]): Command {
  let command = program
  for (const [i, word] of words.entries()) {
    const next = command.commands.find((c) => c.name() === word && c.name() !== 'help')
    if (next === undefined) {
      const known = leafCommands(command).map((c) => commandTerm(c).replace(/ [<[].*$/, ''))
      return command.error(
        `error: unknown command '${words.slice(0, i + 1).join(' ')}'; notiprobe help <command> takes one of: ${known.join(', ')}`,
        { code: 'commander.unknownCommand' },
      )
    }
    command = next
  }
  return command
}

/** Marks the options a command cannot run without, as `<token>` marks a required argument. */
function optionDescription(this: Help, option: Option): string {
  const text = Help.prototype.optionDescription.call(this, option)
  return option.mandatory ? `${text} (required)` : text
}

/** The root's help lists every command down to the leaves (`apple test`), as the README does. */
function leafCommands(command: Command): Command[] {
  const visible = command.commands.filter((c) => c.name() !== 'help')
  if (command.parent !== null) return visible
  return visible.flatMap((c) => (c.commands.length > 0 ? c.commands : [c]))
}

function commandTerm(command: Command): string {
  const parent = command.parent?.parent == null ? '' : `${command.parent.name()} `
  const args = command.registeredArguments.map((a) => {
    const name = `${a.name()}${a.variadic ? '...' : ''}`
    return a.required ? `<${name}>` : `[${name}]`
  })
  return [`${parent}${command.name()}`, ...args].join(' ')
}

/** A command with `--json` and an example in its help. */
function leaf(
  parent: Command,
  name: string,
  description: string,
  examples: readonly string[],
): Command {
  return parent
    .command(name)
    .description(description)
    .option('--json', 'print JSON only (one document; one line per record for streams)')
    .option('--quiet', 'do not announce retries, rate-limit waits and proxy tunnels on stderr')
    .addHelpText(
      'after',
      `\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n\nExit codes: 0 ok, 1 check failed, 2 bad input, 3 auth, 4 vendor/network, 130 interrupted.`,
    )
}

function timeoutOption(what: string, defaultText: string): Option {
  return new Option(
    '--timeout <duration>',
    `time limit for ${what} (default: ${defaultText}); e.g. 90s, 2m, 500ms`,
  ).argParser(durationArg)
}

function appleBaseUrlOption(): Option {
  return new Option(
    '--base-url <url>',
    'Apple host (default: by APPLE_ENVIRONMENT; http allowed on loopback only)',
  )
}

function sailPointBaseUrlOption(): Option {
  return new Option(
    '--base-url <url>',
    'tenant API URL (default: SAIL_BASE_URL or SAIL_TENANT; http on loopback only)',
  )
}

/** Which hook, and where: shared by every `github` command. */
function githubTargetOptions(command: Command): Command {
  return command
    .option('--repo <owner/name>', 'a repository hook (default: GITHUB_REPOSITORY)')
    .option('--org <login>', 'an organization hook (default: GITHUB_ORG)')
    .option('--app', "the GitHub App's own hook (App credentials)")
    .option('--hook-id <id>', "the hook's id (default: GITHUB_HOOK_ID)")
    .option(
      '--base-url <url>',
      'REST API URL (default: GITHUB_API_URL, else https://api.github.com)',
    )
    .option(
      '--api-version <version>',
      'X-GitHub-Api-Version (default: GITHUB_API_VERSION, else 2022-11-28)',
    )
}

function sailPointApiVersionOption(): Option {
  return new Option(
    '--api-version <version>',
    'API path version (default: SAIL_API_VERSION, else beta)',
  )
    .choices(API_VERSIONS)
    .argParser(oneOf(API_VERSIONS))
}

// What a verified notification must be for: shared by `apple verify` and `listen`.
function expectedBundleIdOption(): Option {
  return new Option('--bundle-id <id>', 'expected bundle id (default: APPLE_BUNDLE_ID)')
}

function expectedEnvironmentOption(): Option {
  return new Option(
    '--environment <environment>',
    'expected environment (default: APPLE_ENVIRONMENT, else Sandbox)',
  )
    .choices(APPLE_ENVIRONMENTS)
    .argParser(oneOf(APPLE_ENVIRONMENTS))
}

function expectedAppAppleIdOption(): Option {
  return new Option(
    '--app-apple-id <id>',
    'expected app Apple ID, Production (default: APPLE_APP_APPLE_ID)',
  ).argParser(positiveInt)
}

function proxyOption(): Option {
  return new Option(
    '--proxy <url>',
    'tunnel vendor calls through this proxy, e.g. http://proxy.corp:3128 (default: HTTPS_PROXY, except NO_PROXY hosts; credentials only in HTTPS_PROXY)',
  ).argParser(proxyArg)
}

function rootCertOption(): Option {
  return new Option(
    '--root-cert <file>',
    "trusted root certificate (PEM) for signed payloads, instead of Apple's; repeatable",
  ).argParser(collect)
}

function durationArg(value: string): number {
  const ms = parseDuration(value)
  if (ms === undefined || ms <= 0)
    throw new InvalidArgumentError('expected a duration such as 90s, 2m or 500ms.')
  return ms
}

/** A choice in any case, given back as the vendor spells it; commander's `choices` lists them. */
function oneOf<const T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    const choice = canonicalChoice(values, value)
    if (choice === undefined)
      throw new InvalidArgumentError(`Allowed choices are ${values.join(', ')} (any case).`)
    return choice
  }
}

function proxyArg(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InvalidArgumentError('expected a proxy URL such as http://proxy.corp:3128.')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError('expected an http:// or https:// proxy URL.')
  // Arguments show in `ps`, shell history and CI logs: a password belongs in the environment.
  if (url.password !== '')
    throw new InvalidArgumentError(
      'a password on the command line shows in ps and shell history: put the proxy URL with its credentials in HTTPS_PROXY instead.',
    )
  return value
}

function port(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n > 65_535)
    throw new InvalidArgumentError('expected a port number, 0 to 65535.')
  return n
}

function positiveInt(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < 1 || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('expected a whole number, 1 or more.')
  return n
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}
