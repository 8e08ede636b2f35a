import type { CommandContext } from '../context.js'
import { formatDuration } from '../duration.js'
import { describeFailure } from '../errors.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { readSecretFile } from '../secrets.js'
import { startHttpServer } from '../servers/http-server.js'
import type { ListenOptions } from './listen.js'
import { untilStopped } from './until-stopped.js'

/**
 * `notiprobe listen --github-secret-file <file>`: GitHub webhook deliveries, each signature checked
 * with @notiprobe/github's createWebhookHandler before anything is printed. Runs until
 * interrupted, `--timeout`, or `--count` verified deliveries.
 */
export async function runGitHubListen(
  context: CommandContext,
  options: ListenOptions & { readonly githubSecretFile: string },
): Promise<ExitCode> {
  const { output, io } = context
  const c = output.color
  const secret = await readSecretFile(io, options.githubSecretFile, {
    field: '--github-secret-file',
    vendor: 'github',
    operation: context.operation,
  })
  const { createWebhookHandler } = await import('@notiprobe/github')
  const stop = new AbortController()
  let received = 0
  const handler = createWebhookHandler({
    secret,
    onEvent: (event) => {
      received++
      if (output.json) output.emit({ type: 'delivery', receivedAt: io.now(), ...event })
      else {
        output.print(
          `${c.green('✔')} ${time(io.now())} ${c.bold(event.name)} ${event.deliveryId} signature verified ${c.dim(`(hook ${event.hookId ?? '?'}, ${event.targetType ?? '?'} ${event.targetId ?? ''}, ${event.contentType} body)`)}`,
        )
      }
      if (options.count !== undefined && received >= options.count) stop.abort()
    },
    onError: (error) => {
      if (output.json) {
        const { json } = describeFailure(error, context.operation)
        output.emit({ type: 'refused', receivedAt: io.now(), error: json })
      } else output.print(`${c.red('✖')} ${time(io.now())} refused: ${error.message}`)
    },
  })
  const server = await startHttpServer(
    (req, res) => {
      if ((req.url ?? '/').split('?')[0] !== options.path) {
        res.writeHead(404).end()
        return
      }
      void handler(req, res)
    },
    { host: options.host, port: options.port, option: '--port', operation: context.operation },
  )
  const url = `${server.origin}${options.path}`
  try {
    if (output.json) output.emit({ type: 'listening', url, vendor: 'github' })
    else {
      output.print(`Listening on ${c.bold(url)} for GitHub webhook deliveries`)
      output.print(
        c.dim('  every body must carry a valid X-Hub-Signature-256 for the secret given'),
      )
      output.print(
        c.dim(
          `  ${options.count === undefined ? 'Ctrl-C to stop' : `stops after ${options.count} deliver${options.count === 1 ? 'y' : 'ies'}`}${options.timeout === undefined ? '' : `, or after ${formatDuration(options.timeout)}`}`,
        ),
      )
    }
    const how = await untilStopped([context.signal, stop.signal], options.timeout)
    if (how === 'interrupted') return EXIT.interrupted
    const short = options.count !== undefined && received < options.count
    if (short) {
      output.note(
        `${c.red('✖')} ${received} of ${options.count ?? 0} deliveries arrived within ${formatDuration(options.timeout ?? 0)}.`,
      )
    }
    return short ? EXIT.failed : EXIT.ok
  } finally {
    await server.close()
  }
}

function time(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19)
}
