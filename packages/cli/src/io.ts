/** A stream the CLI writes to; a TTY has `isTTY` and `columns`. */
export interface OutStream {
  write(chunk: string): boolean
  readonly isTTY?: boolean
  readonly columns?: number
}

/** Everything the CLI touches outside itself, so tests can run it in-process. */
export interface Io {
  readonly stdout: OutStream & NodeJS.WritableStream
  readonly stderr: OutStream & NodeJS.WritableStream
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean }
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  readonly now: () => number
}

export function processIo(): Io {
  // `notiprobe ... | head` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') > 0) continue
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error
      process.exit(process.exitCode ?? 0)
    })
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    now: Date.now,
  }
}
