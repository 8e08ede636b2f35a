import { notificationApp, type AppleEnvironment } from '@notiprobe/apple'
import type { CommandContext, CommonOptions } from '../context.js'
import { formatDuration } from '../duration.js'
import { describeFailure } from '../errors.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { startReceiver } from '../servers/receiver.js'
import { verificationSettings } from '../settings/apple.js'
import { untilStopped } from './until-stopped.js'
import { visible } from '../output/terminal-text.js'

export interface ListenOptions extends CommonOptions {
  readonly port: number
  readonly host: string
  readonly path: string
  readonly bundleId?: string
  readonly environment?: AppleEnvironment
  readonly appAppleId?: number
  readonly rootCert?: string[]
  readonly count?: number
  /** Receive GitHub webhooks instead, verified with the secret in this file (- for stdin). */
  readonly githubSecretFile?: string
}

/**
 * `notiprobe listen`: a verifying App Store Server Notifications endpoint that prints what
 * arrives. Runs until interrupted, `--timeout`, or `--count` notifications (then exit 0; a count
 * not reached by the timeout is exit 1).
 */
export async function runListen(
  context: CommandContext,
  options: ListenOptions,
): Promise<ExitCode> {
  if (options.githubSecretFile !== undefined) {
    const { runGitHubListen } = await import('./listen-github.js')
    return runGitHubListen(context, { ...options, githubSecretFile: options.githubSecretFile })
  }
  const { output, io } = context
  const c = output.color
  const settings = await verificationSettings(context, {
    bundleId: options.bundleId,
    environment: options.environment,
    appAppleId: options.appAppleId,
    rootCert: options.rootCert,
  })
  const stop = new AbortController()
  const receiver = await startReceiver({
    host: options.host,
    port: options.port,
    path: options.path,
    settings,
    now: io.now,
    option: '--port',
    operation: context.operation,
    onNotification: ({ receivedAt, notification: n, signedPayload }) => {
      if (output.json)
        output.emit({ type: 'notification', receivedAt, notification: n, signedPayload })
      else {
        const app = notificationApp(n)
        const nested = [
          n.data?.transactionInfo === undefined ? undefined : 'transaction',
          n.data?.renewalInfo === undefined ? undefined : 'renewal info',
          n.appData?.appTransactionInfo === undefined ? undefined : 'app transaction',
        ].filter((x) => x !== undefined)
        output.print(
          `${c.green('✔')} ${time(receivedAt)} ${c.bold(`${n.notificationType}${n.subtype === undefined ? '' : `/${n.subtype}`}`)} ${n.notificationUUID} verified ${c.dim(`(signed ${new Date(n.signedDate).toISOString()}, ${app?.bundleId ?? '?'}, ${app?.environment ?? '?'}${nested.length === 0 ? '' : `; ${nested.join(', ')} verified`})`)}`,
        )
      }
      if (options.count !== undefined && receiver.received.length >= options.count) stop.abort()
    },
    onRefused: (error) => {
      if (output.json) {
        const { json } = describeFailure(error, context.operation)
        output.emit({ type: 'refused', receivedAt: io.now(), error: json })
      } else output.print(`${c.red('✖')} ${time(io.now())} refused: ${visible(error.message)}`)
    },
  })
  try {
    if (output.json) {
      output.emit({
        type: 'listening',
        vendor: 'apple',
        url: receiver.url,
        bundleId: settings.bundleId,
        environment: settings.environment,
      })
    } else {
      const trust =
        settings.rootCertificates === undefined
          ? 'Apple Root CA - G3'
          : 'the root certificate given'
      output.print(`Listening on ${c.bold(receiver.url)} for App Store Server Notifications`)
      output.print(
        c.dim(`  verifying for ${settings.bundleId} in ${settings.environment}, trusting ${trust}`),
      )
      output.print(
        c.dim(
          `  ${options.count === undefined ? 'Ctrl-C to stop' : `stops after ${options.count} notification${options.count === 1 ? '' : 's'}`}${options.timeout === undefined ? '' : `, or after ${formatDuration(options.timeout)}`}`,
        ),
      )
    }
    const how = await untilStopped([context.signal, stop.signal], options.timeout)
    if (how === 'interrupted') return EXIT.interrupted
    const short = options.count !== undefined && receiver.received.length < options.count
    if (short) {
      output.note(
        `${c.red('✖')} ${receiver.received.length} of ${options.count ?? 0} notifications arrived within ${formatDuration(options.timeout ?? 0)}.`,
      )
    }
    return short ? EXIT.failed : EXIT.ok
  } finally {
    await receiver.close()
  }
}

function time(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19)
}
