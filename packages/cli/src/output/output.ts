import type { AdapterEvent } from '@notiprobe/core'
import { formatDuration } from '../duration.js'
import type { Failure } from '../errors.js'
import type { Io } from '../io.js'
import { announcement } from './announcements.js'
import { colorsFor, type Colors } from './colors.js'
import { SILENT_PROGRESS, startProgress, type Progress } from './progress.js'
import { renderRows } from './table.js'
import { terminalSafe, visible } from './terminal-text.js'

/** The version of every `--json` shape; raised when a field changes meaning or goes away. */
export const SCHEMA_VERSION = 2

/**
 * Where every command writes. Human mode: text and tables on stdout, progress and errors on
 * stderr, colour only on a terminal. JSON mode: stdout holds only JSON (one document per command,
 * one line per record for streams), errors are `{"error": ...}`, and stderr holds only the
 * announcements of waits (retries, rate limits, proxy tunnels), which `--quiet` silences.
 */
export class Output {
  readonly json: boolean
  /** `--quiet`: no announcements. */
  readonly quiet: boolean
  /** Colours for stdout. */
  readonly color: Colors
  /** Colours for stderr. */
  readonly errColor: Colors
  readonly #io: Io
  /** The spinner or progress line under way, which announcements are printed above. */
  #progress: Progress | undefined

  constructor(io: Io, options: { json: boolean; quiet?: boolean }) {
    this.#io = io
    this.json = options.json
    this.quiet = options.quiet === true
    this.color = colorsFor(io.stdout, io.env)
    this.errColor = colorsFor(io.stderr, io.env)
  }

  /** A line of human output; nothing in JSON mode. */
  print(text = ''): void {
    if (!this.json) this.#io.stdout.write(`${terminalSafe(text)}\n`)
  }

  /**
   * A JSON document, or one NDJSON record of a stream, on one line, stamped with the version of
   * its shape: a script can check `schemaVersion` before it reads anything else.
   */
  emit(value: object): void {
    this.#io.stdout.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...value })}\n`)
  }

  /** A note for the person at the terminal, on stderr; nothing in JSON mode. */
  note(text: string): void {
    if (!this.json) this.#io.stderr.write(`${terminalSafe(text)}\n`)
  }

  warn(text: string): void {
    this.note(`${this.errColor.yellow('!')} ${text}`)
  }

  /** A spinner on a terminal, plain lines elsewhere, nothing in JSON mode. */
  async progress(text: string): Promise<Progress> {
    if (this.json) return SILENT_PROGRESS
    const progress = await startProgress(terminalSafe(text), {
      stream: this.#io.stderr,
      colors: this.errColor,
      now: () => this.#io.now(),
    })
    const ended = (): void => {
      if (this.#progress === shown) this.#progress = undefined
    }
    const shown: Progress = {
      update: (next) => progress.update(terminalSafe(next)),
      succeed: (final) => (ended(), progress.succeed(terminalSafe(final))),
      fail: (final) => (ended(), progress.fail(terminalSafe(final))),
      stop: () => (ended(), progress.stop()),
      announce: (line) => progress.announce(terminalSafe(line)),
    }
    this.#progress = shown
    return shown
  }

  /**
   * Says why the command waits (a retry, a rate limit, a proxy): above the spinner on a terminal,
   * a line otherwise. Always on stderr, in JSON mode too, so stdout stays the JSON document and a
   * CI log still shows every wait; `--quiet` silences it.
   */
  announce(event: AdapterEvent): void {
    if (this.quiet) return
    const line = announcement(event)
    if (line === undefined) return
    if (this.#progress !== undefined) this.#progress.announce(line)
    else this.#io.stderr.write(`${this.errColor.yellow('↻')} ${terminalSafe(line)}\n`)
  }

  /**
   * A table that fits the terminal (80 columns off one: CI logs, pipes), or one block per row when
   * it would not: values are never cut or wrapped.
   */
  async table(head: readonly string[], rows: readonly (readonly string[])[]): Promise<void> {
    if (this.json) return
    const columns = this.#io.stdout.isTTY === true ? (this.#io.stdout.columns ?? 80) : 80
    this.print(await renderRows(head, rows, { colors: this.color, columns }))
  }

  /** Prints a failure: `{"error": ...}` on stdout in JSON mode, a readable block on stderr otherwise. */
  failure(failure: Failure): void {
    if (this.json) {
      this.emit({ error: failure.json })
      return
    }
    this.#io.stderr.write(terminalSafe(formatFailure(failure, this.errColor)))
  }
}

/** Message first, then the facts a person quotes to the vendor's support. */
export function formatFailure(failure: Failure, c: Colors): string {
  const e: Readonly<Record<string, unknown>> = { ...failure.json }
  const facts: [string, unknown][] = [
    ['kind', `${failure.json.kind} (exit ${failure.exitCode})`],
    ['vendor', e.vendor],
    ['vendor code', e.vendorCode],
    ['vendor says', e.vendorMessage],
    ['request id', e.requestId],
    ['http status', e.httpStatus],
    [
      'retry after',
      typeof e.retryAfterMs === 'number' ? formatDuration(e.retryAfterMs) : undefined,
    ],
    ['operation', e.operation],
    ['what to do', e.hint],
  ]
  const lines = facts
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([label, value]) => `  ${c.dim(label.padEnd(12))} ${visible(String(value))}`)
  return `${c.red('✖')} ${c.bold(visible(failure.json.message))}\n${lines.join('\n')}\n`
}
