import { CommanderError } from 'commander'
import type { CommonOptions } from './context.js'
import { EXIT, type ExitCode } from './exit-codes.js'
import { processIo, type Io } from './io.js'
import { buildProgram, type Dispatch } from './program.js'

/** The password of a URL's user info: `//user:password@`. */
const URL_PASSWORD = /(\/\/[^/\s:@']*):[^@\s'/]*@/g

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const
type HandledSignal = keyof typeof SIGNAL_NUMBERS

/** Where signals come from; `process` outside tests. */
export interface SignalSource {
  on(signal: HandledSignal, listener: () => void): unknown
  off(signal: HandledSignal, listener: () => void): unknown
}

/**
 * Runs `notiprobe` with `argv` (without node and the script) and resolves to the exit code. The
 * first Ctrl-C (or SIGTERM) aborts the command, which stops waiting and closes what it opened; a
 * second one exits at once.
 */
export async function main(
  argv: readonly string[],
  io: Io = processIo(),
  signals: SignalSource = process,
): Promise<number> {
  const controller = new AbortController()
  let interruptedBy: HandledSignal | undefined
  const handlers = (Object.keys(SIGNAL_NUMBERS) as HandledSignal[]).map((signal) => {
    const handler = (): void => {
      if (interruptedBy !== undefined) process.exit(128 + SIGNAL_NUMBERS[signal])
      interruptedBy = signal
      controller.abort(new Error(`Interrupted by ${signal}`))
    }
    signals.on(signal, handler)
    return [signal, handler] as const
  })

  const json = argv.includes('--json')
  let exitCode: number = EXIT.ok

  const dispatch: Dispatch = async (name, options: CommonOptions, body) => {
    const [{ Output }, { describeFailure }] = await Promise.all([
      import('./output/output.js'),
      import('./errors.js'),
    ])
    const output = new Output(io, { json: options.json === true, quiet: options.quiet === true })
    const operation = `notiprobe.${name}`
    try {
      exitCode = await body({
        io,
        output,
        signal: controller.signal,
        operation,
        proxy: options.proxy,
        onEvent: (event) => output.announce(event),
      })
    } catch (caught) {
      const failure = describeFailure(caught, operation)
      output.failure(failure)
      exitCode = failure.exitCode
    }
    if (interruptedBy !== undefined) exitCode = 128 + SIGNAL_NUMBERS[interruptedBy]
  }

  let parseError: string | undefined
  const program = buildProgram(dispatch, {
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    outputError: (raw, write) => {
      // commander quotes a refused argument: a URL's password must not reach the log.
      const text = raw.replace(URL_PASSWORD, '$1:[REDACTED]@')
      parseError = text.replace(/^error:\s*/, '').trim()
      if (!json) write(text)
    },
  })

  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (caught) {
    if (!(caught instanceof CommanderError)) throw caught
    exitCode = await parseFailure(caught, parseError, json, io)
  } finally {
    for (const [signal, handler] of handlers) signals.off(signal, handler)
  }
  return exitCode
}

/** Help and version end well; anything else commander refused is bad input (exit 2). */
async function parseFailure(
  error: CommanderError,
  message: string | undefined,
  json: boolean,
  io: Io,
): Promise<ExitCode> {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok
  if (json) {
    const { describeFailure, usageError } = await import('./errors.js')
    const why = message ?? 'a command is required; run notiprobe --help'
    const operation = 'notiprobe.parseArguments'
    const failure = usageError(`${why.charAt(0).toUpperCase()}${why.slice(1)}`, { operation })
    const { SCHEMA_VERSION } = await import('./output/output.js')
    io.stdout.write(
      `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, error: describeFailure(failure, operation).json })}\n`,
    )
  }
  return EXIT.usage
}
