import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import type { AbortSource } from '../deadline.js'

/** Why a response body could not be read, as a reason the transport switches on, not a message. */
export type BodyReadReason =
  /** Larger than the transport accepts: the vendor answered, the answer is unusable. */
  | 'too_large'
  /** The connection closed before the body ended: the vendor may have acted. */
  | 'cut_short'
  /** The deadline or the caller ended the read. */
  | 'aborted'

export class BodyReadFailure extends Error {
  constructor(
    readonly reason: BodyReadReason,
    message: string,
    /** The stream's own error code where it gave one (ECONNRESET). */
    readonly code?: string,
  ) {
    super(message)
    this.name = 'BodyReadFailure'
  }
}

/**
 * Reads a response body as UTF-8 text, decoding each chunk as it arrives so that no chunk outlives
 * its read (axios's 'text' keeps every chunk until the end: external memory only a full GC frees).
 * Fails with a BodyReadFailure, destroying the stream and so its connection, once the body passes
 * `maxBytes`, when the connection closes early, or when `signal` aborts.
 */
export function readBody(stream: Readable, maxBytes: number, signal: AbortSource): Promise<string> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8')
    let text = ''
    let bytes = 0
    const settle = (failure: BodyReadFailure | undefined, value = ''): void => {
      stream.off('data', onData)
      stream.off('end', onEnd)
      stream.off('error', onError)
      stream.off('aborted', onAborted)
      signal.removeEventListener('abort', onAbort)
      if (failure === undefined) resolve(value)
      else reject(failure)
    }
    const fail = (failure: BodyReadFailure): void => {
      settle(failure)
      // Destroying may emit more ('aborted', an error): the read is settled, and nothing is unhandled.
      stream.on('error', ignore)
      stream.destroy()
    }
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length
      if (bytes > maxBytes) {
        fail(new BodyReadFailure('too_large', `the response was larger than ${maxBytes} bytes`))
      } else text += decoder.write(chunk)
    }
    const onEnd = (): void => {
      text += decoder.end()
      // A UTF-8 byte order mark is not part of the text.
      settle(undefined, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
    }
    const onError = (error: unknown): void => {
      const code = (error as { code?: unknown } | null)?.code
      settle(
        new BodyReadFailure(
          'cut_short',
          'the connection closed before the response ended',
          typeof code === 'string' ? code : undefined,
        ),
      )
    }
    // The connection closed before the body ended (Node's IncomingMessage says so first).
    const onAborted = (): void => {
      fail(new BodyReadFailure('cut_short', 'the connection closed before the response ended'))
    }
    const onAbort = (): void => {
      fail(new BodyReadFailure('aborted', 'the read was aborted'))
    }
    if (signal.aborted) {
      onAbort()
      return
    }
    signal.addEventListener('abort', onAbort)
    stream.on('data', onData)
    stream.on('end', onEnd)
    stream.on('error', onError)
    stream.on('aborted', onAborted)
  })
}

function ignore(): void {
  // An error after the read has already failed adds nothing.
}
