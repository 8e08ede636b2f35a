import type { IncomingMessage } from 'node:http'

/** Why a receiver could not read a request body, with the HTTP status it answers. */
export class BodyReadError extends Error {
  constructor(
    readonly status: 400 | 408 | 413 | 500,
    message: string,
  ) {
    super(message)
    this.name = 'BodyReadError'
  }
}

/**
 * How much of a too-large body is read and thrown away before answering 413. A server that
 * answers and closes while the client is still sending makes the client's system reset the
 * connection, and the client may never see the 413; beyond this, it is cut off at once.
 */
export const DISCARD_LIMIT_BYTES = 1024 * 1024

/**
 * Reads a request body of at most `maxBytes`, for a receiver (a webhook or notification
 * endpoint). A larger one (by `Content-Length` or as it streams in) is discarded up to
 * `DISCARD_LIMIT_BYTES` and refused with 413; a client slower than `timeoutMs` gets 408. Never
 * holds more than `maxBytes`.
 */
export function readBoundedBody(
  req: IncomingMessage,
  maxBytes: number,
  timeoutMs: number,
): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  const tooLarge = new BodyReadError(413, `the body is larger than ${maxBytes} bytes`)
  if (Number.isFinite(declared) && declared > maxBytes + DISCARD_LIMIT_BYTES) {
    return Promise.reject(tooLarge)
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let overflow = Number.isFinite(declared) && declared > maxBytes
    const finish = (error: BodyReadError | undefined): void => {
      clearTimeout(timer)
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('close', onClose)
      if (error === undefined) {
        resolve(Buffer.concat(chunks, size))
        return
      }
      // Stop reading what is left; the answer closes the connection.
      req.pause()
      reject(error)
    }
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      size += bytes.length
      if (size > maxBytes) {
        // From here on the body is only drained, never kept.
        overflow = true
        chunks.length = 0
        if (size > maxBytes + DISCARD_LIMIT_BYTES) finish(tooLarge)
      } else chunks.push(bytes)
    }
    const onEnd = (): void => finish(overflow ? tooLarge : undefined)
    const onError = (): void => finish(new BodyReadError(400, 'the request body could not be read'))
    // `close` before the whole body arrived: the client gave up (`aborted` is deprecated).
    const onClose = (): void => {
      if (!req.complete) finish(new BodyReadError(400, 'the client closed the request'))
    }
    const timer = setTimeout(() => {
      finish(
        overflow
          ? tooLarge
          : new BodyReadError(408, `the body did not arrive within ${timeoutMs} ms`),
      )
    }, timeoutMs)
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('close', onClose)
  })
}
