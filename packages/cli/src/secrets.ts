import { createReadStream } from 'node:fs'
import { resolve } from 'node:path'
import { registerSecret } from '@notiprobe/core/adapter'
import { usageError } from './errors.js'
import type { Io } from './io.js'

/**
 * Secrets come from the environment, a file or standard input, never from a command-line argument
 * (arguments show in `ps`, shell history and CI logs). Every secret read is registered with core's
 * redaction, so it cannot appear in any message the CLI prints.
 */

/**
 * How much of a file (or of standard input) is read, by what it holds: a FIFO or `/dev/zero` is
 * read up to the limit, never until memory runs out.
 */
export interface ReadLimit {
  readonly bytes: number
  /** What the file should be, named when it is too large: "a .p8 key file". */
  readonly what: string
}

export const READ_LIMITS = {
  /** A key, a client secret: a few hundred bytes. */
  secret: { bytes: 64 * 1024, what: 'a secret or key file' },
  /** The rest: a few kilobytes each, a megabyte leaves room to spare. */
  document: { bytes: 1024 * 1024, what: 'this file' },
  config: { bytes: 1024 * 1024, what: 'a config file' },
  context: { bytes: 1024 * 1024, what: 'a template context' },
  certificates: { bytes: 1024 * 1024, what: 'PEM certificates' },
  notification: { bytes: 1024 * 1024, what: 'a signed notification' },
  /** `apple verify`'s input: a signed payload, or notiprobe's own --json output (a long history). */
  verifyInput: {
    bytes: 16 * 1024 * 1024,
    what: 'a signed notification or notiprobe --json output',
  },
} as const satisfies Record<string, ReadLimit>

export interface SecretSource {
  /** The variable or field the path came from, named in errors: `APPLE_PRIVATE_KEY_FILE`. */
  readonly field: string
  readonly vendor: string
  readonly operation: string
}

/** Reads a secret from a file, or from standard input when `path` is `-`. */
export async function readSecretFile(
  io: Io,
  path: string,
  source: SecretSource,
  baseDir = io.cwd,
): Promise<string> {
  const limit = READ_LIMITS.secret
  const text =
    path === '-' ? await readStdin(io, limit) : await readTextFile(path, source, baseDir, limit)
  const secret = text.trim()
  if (secret === '') {
    throw usageError(`${source.field}: ${path === '-' ? 'standard input' : path} is empty.`, {
      ...source,
      kind: 'config',
    })
  }
  registerSecret(secret)
  return secret
}

/** Reads a text file named by an option or setting; errors name the setting, the path and the limit. */
export async function readTextFile(
  path: string,
  source: SecretSource,
  baseDir: string,
  limit: ReadLimit = READ_LIMITS.document,
): Promise<string> {
  const absolute = resolve(baseDir, path)
  try {
    return await readBounded(createReadStream(absolute), limit)
  } catch (error) {
    if (error instanceof TooLarge) {
      throw usageError(`${source.field}: ${absolute} ${error.message}`, {
        vendor: source.vendor,
        operation: source.operation,
        kind: 'config',
      })
    }
    const code = (error as { code?: unknown }).code
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : 'cannot be read'
    throw usageError(`${source.field}: cannot read ${absolute} (${why}).`, {
      vendor: source.vendor,
      operation: source.operation,
      kind: 'config',
    })
  }
}

/** Standard input as text, up to `limit`. Refuses a terminal: nobody should type a key there. */
export async function readStdin(io: Io, limit: ReadLimit = READ_LIMITS.document): Promise<string> {
  if (io.stdin.isTTY === true) {
    throw usageError('Expected input on standard input (a pipe or a file), not a terminal.', {
      operation: 'notiprobe.readStdin',
    })
  }
  try {
    return await readBounded(io.stdin, limit)
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error
    throw usageError(`Standard input ${error.message}`, { operation: 'notiprobe.readStdin' })
  }
}

class TooLarge extends Error {}

/** Reads a stream as UTF-8 up to `limit`, stopping (and destroying it) as soon as it passes. */
async function readBounded(stream: NodeJS.ReadableStream, limit: ReadLimit): Promise<string> {
  const chunks: Buffer[] = []
  let bytes = 0
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    bytes += buffer.length
    if (bytes > limit.bytes) {
      // Leaving the loop destroys a file stream; standard input is only left unread.
      throw new TooLarge(
        `is larger than ${formatBytes(limit.bytes)}, the most notiprobe reads for ${limit.what}.`,
      )
    }
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`
}
