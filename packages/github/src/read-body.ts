import type { IncomingMessage } from 'node:http'

/** Why a body could not be read, with the status the receiver answers. */
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
 * Reads a request body of at most `maxBytes`. A `Content-Length` over the limit is refused before
 * a byte is read; a body that grows past it while streaming is refused at once. A client that has
 * not sent the whole body within `timeoutMs` gets 408. Never holds more than `maxBytes`.
 */
export function readBoundedBody(
  req: IncomingMessage,
  maxBytes: number,
  timeoutMs: number,
): Promise<Buffer> {
  const tooLarge = (): BodyReadError =>
    new BodyReadError(413, `the body is larger than ${maxBytes} bytes`)
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const settle = (error: BodyReadError | undefined): void => {
      clearTimeout(timer)
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('close', onClose)
      if (error === undefined) resolve(Buffer.concat(chunks, size))
      else {
        req.pause()
        reject(error)
      }
    }
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      size += bytes.length
      if (size > maxBytes) settle(tooLarge())
      else chunks.push(bytes)
    }
    const onEnd = (): void => settle(undefined)
    const onError = (): void => settle(new BodyReadError(400, 'the request body could not be read'))
    const onClose = (): void => {
      if (!req.complete) settle(new BodyReadError(400, 'the client closed the request'))
    }
    const timer = setTimeout(() => {
      settle(new BodyReadError(408, `the body did not arrive within ${timeoutMs} ms`))
    }, timeoutMs)
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('close', onClose)
  })
}
