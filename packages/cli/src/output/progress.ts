import type { Ora } from 'ora'
import { formatDuration } from '../duration.js'
import type { OutStream } from '../io.js'
import type { Colors } from './colors.js'

/** A line that says what the CLI is waiting for, and how long it has been waiting. */
export interface Progress {
  /** Replaces the text; the elapsed time is appended by the progress itself. */
  update(text: string): void
  /** Ends with a tick and a final text. */
  succeed(text: string): void
  /** Ends with a cross and a final text. */
  fail(text: string): void
  /** Ends without a mark (an error report follows). */
  stop(): void
  /** A line that stays (a retry, a rate-limit wait), printed above the spinner on a terminal. */
  announce(line: string): void
}

export const SILENT_PROGRESS: Progress = {
  update: () => undefined,
  succeed: () => undefined,
  fail: () => undefined,
  stop: () => undefined,
  announce: () => undefined,
}

export interface ProgressOptions {
  readonly stream: OutStream & NodeJS.WritableStream
  readonly colors: Colors
  readonly now: () => number
}

/**
 * On a terminal: an ora spinner whose elapsed time ticks. Elsewhere (CI logs, pipes): one plain
 * line per change of text, so a log shows every poll without spinner noise.
 */
export async function startProgress(text: string, options: ProgressOptions): Promise<Progress> {
  const { stream, colors, now } = options
  const started = now()
  const elapsed = (): string => colors.dim(`(${formatDuration(now() - started)})`)
  // A terminal that reports no width (some CI pseudo-terminals) cannot be redrawn in place.
  if (stream.isTTY !== true || !(Number(stream.columns) > 0)) {
    return plainProgress(text, stream, colors, elapsed)
  }

  // Loaded only when a spinner is shown, so `--help` and JSON output never pay for it.
  const { default: ora } = await import('ora')
  let base = text
  const spinner: Ora = ora({
    text: `${base} ${elapsed()}`,
    stream,
    color: colors.isColorSupported ? 'cyan' : false,
    // Our own SIGINT handling aborts the work; ora must not grab stdin for that.
    discardStdin: false,
  }).start()
  const ticker = setInterval(() => {
    spinner.text = `${base} ${elapsed()}`
  }, 250)
  ticker.unref()
  const end = (): void => clearInterval(ticker)
  return {
    update(next) {
      base = next
      spinner.text = `${base} ${elapsed()}`
    },
    succeed(final) {
      end()
      spinner.stopAndPersist({ symbol: colors.green('✔'), text: `${final} ${elapsed()}` })
    },
    fail(final) {
      end()
      spinner.stopAndPersist({ symbol: colors.red('✖'), text: `${final} ${elapsed()}` })
    },
    stop() {
      end()
      spinner.stop()
    },
    announce(line) {
      spinner.clear()
      stream.write(`${colors.yellow('↻')} ${line}\n`)
      spinner.render()
    },
  }
}

function plainProgress(
  text: string,
  stream: OutStream,
  colors: Colors,
  elapsed: () => string,
): Progress {
  let last = ''
  const line = (symbol: string, next: string): void => {
    stream.write(`${symbol} ${next} ${elapsed()}\n`)
  }
  const update = (next: string): void => {
    if (next === last) return
    last = next
    line(colors.dim('…'), next)
  }
  update(text)
  return {
    update,
    succeed: (final) => line(colors.green('✔'), final),
    fail: (final) => line(colors.red('✖'), final),
    stop: () => undefined,
    announce: (next) => stream.write(`${colors.yellow('↻')} ${next}\n`),
  }
}
