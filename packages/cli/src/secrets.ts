import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { registerSecret } from '@notiprobe/core/adapter'
import { usageError } from './errors.js'
import type { Io } from './io.js'

/**
 * Secrets come from the environment, a file or standard input, never from a command-line argument
 * (arguments show in `ps`, shell history and CI logs). Every secret read is registered with core's
 * redaction, so it cannot appear in any message the CLI prints.
 */

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
  const text = path === '-' ? await readStdin(io) : await readTextFile(path, source, baseDir)
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

/** Reads a text file named by an option or setting; errors name the setting and the path. */
export async function readTextFile(
  path: string,
  source: SecretSource,
  baseDir: string,
): Promise<string> {
  const absolute = resolve(baseDir, path)
  try {
    return await readFile(absolute, 'utf8')
  } catch (error) {
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

/** All of standard input as text. Refuses a terminal: nobody should type a key there. */
export async function readStdin(io: Io): Promise<string> {
  if (io.stdin.isTTY === true) {
    throw usageError('Expected input on standard input (a pipe or a file), not a terminal.', {
      operation: 'notiprobe.readStdin',
    })
  }
  const chunks: Buffer[] = []
  for await (const chunk of io.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
