import { closeSync, openSync, readSync } from 'node:fs'

export type FileRead = { readonly text: string } | { readonly problem: string }

/**
 * Reads a small text file without ever holding more than `maxBytes + 1` bytes of it: one read
 * into a fixed buffer, so a huge file, a FIFO or `/dev/zero` costs no more than a small one.
 */
export function readSmallFile(path: string, maxBytes: number): FileRead {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    return { problem: `cannot read ${showPath(path)} (${errorCode(error)})` }
  }
  try {
    const buffer = Buffer.alloc(maxBytes + 1)
    let length = 0
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) break
      length += read
    }
    if (length > maxBytes) return { problem: `${showPath(path)} is larger than ${maxBytes} bytes` }
    return { text: buffer.toString('utf8', 0, length) }
  } catch (error) {
    return { problem: `cannot read ${showPath(path)} (${errorCode(error)})` }
  } finally {
    closeSync(fd)
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? code : 'unreadable'
}

/** A path is echoed only when it plainly is one: never a key pasted into the wrong variable. */
function showPath(path: string): string {
  return /^[\w./\\:~ -]{1,512}$/.test(path) && !path.includes('BEGIN') ? path : 'the file given'
}
