import type { AdapterEventListener } from '@notiprobe/core'
import type { ExitCode } from './exit-codes.js'
import type { Io } from './io.js'
import type { Output } from './output/output.js'

/** What a command runs with. */
export interface CommandContext {
  readonly io: Io
  readonly output: Output
  /** Fires on Ctrl-C or SIGTERM: stop waiting, close what was opened, return. */
  readonly signal: AbortSignal
  /** Names the CLI's own errors: `notiprobe.apple.test`. */
  readonly operation: string
  /** `--proxy`: the proxy every vendor call goes through, instead of HTTPS_PROXY's. */
  readonly proxy?: string | undefined
  /** Told of every retry, rate-limit wait and proxy tunnel, to announce them: every adapter's `onEvent`. */
  readonly onEvent?: AdapterEventListener | undefined
}

/** Options every command takes. */
export interface CommonOptions {
  readonly json?: boolean
  /** `--quiet`: no announcements of retries and waits on stderr. */
  readonly quiet?: boolean
  /** Milliseconds, parsed from `--timeout`. */
  readonly timeout?: number
  /** `--proxy`, checked: an http(s) URL without a password. */
  readonly proxy?: string
}

export type CommandRun = (context: CommandContext) => Promise<ExitCode>
