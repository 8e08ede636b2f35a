import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'

/** Why a local file was refused before (or while) reading it. */
export type LocalFileProblem = 'not a regular file' | 'too large'

export class LocalFileRefused extends Error {
  constructor(
    readonly problem: LocalFileProblem,
    readonly limitBytes: number,
    /** The size the file said it had, when that was already too large. */
    readonly sizeBytes?: number,
  ) {
    super(problem)
  }
}

/**
 * Reads a regular file as UTF-8, at most `maxBytes`. A FIFO, a socket or a device (`/dev/zero`)
 * is refused before any read: read synchronously it could block the process or fill its memory.
 * The size is checked again while reading, in case the file grows. Other errors (ENOENT, EACCES)
 * are thrown as Node gives them, with their `code`.
 */
export function readLocalFile(path: string, maxBytes: number): string {
  // O_NONBLOCK: opening a FIFO with no writer must not wait for one.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw new LocalFileRefused('not a regular file', maxBytes)
    if (stat.size > maxBytes) throw new LocalFileRefused('too large', maxBytes, stat.size)
    const buffer = Buffer.alloc(maxBytes + 1)
    let length = 0
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) break
      length += read
      if (length > maxBytes) throw new LocalFileRefused('too large', maxBytes)
    }
    return buffer.toString('utf8', 0, length)
  } finally {
    closeSync(fd)
  }
}
