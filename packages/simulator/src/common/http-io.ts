import type { IncomingMessage, ServerResponse } from 'node:http'

/** Thrown by `readBody` when a request body is larger than allowed; `status` is 413. */
export class BodyTooLargeError extends Error {
  readonly status = 413
  constructor(readonly limitBytes: number) {
    super(`request body exceeds ${String(limitBytes)} bytes`)
    this.name = 'BodyTooLargeError'
  }
}

/** Default body limit: far above any real vendor request, low enough to stop a runaway client. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024

/**
 * Reads the whole request body. Rejects with `BodyTooLargeError` as soon as the limit is passed
 * (checking `Content-Length` first, so an honest client is refused before it uploads anything) and
 * drains the rest so the 413 the caller sends can still reach the client.
 */
export function readBody(
  req: IncomingMessage,
  limitBytes: number = DEFAULT_BODY_LIMIT_BYTES,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > limitBytes) {
      req.resume()
      reject(new BodyTooLargeError(limitBytes))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let failed = false
    req.on('data', (chunk: Buffer) => {
      if (failed) return
      size += chunk.length
      if (size > limitBytes) {
        failed = true
        chunks.length = 0
        reject(new BodyTooLargeError(limitBytes))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks))
    })
    req.on('error', (error) => {
      if (!failed) reject(error)
    })
  })
}

export type ResponseHeaders = Readonly<Record<string, string | number | readonly string[]>>

function send(
  res: ServerResponse,
  status: number,
  contentType: string | undefined,
  payload: Buffer | undefined,
  headers: ResponseHeaders = {},
): void {
  if (res.headersSent || res.destroyed) return
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  if (contentType !== undefined) res.setHeader('content-type', contentType)
  res.setHeader('content-length', payload?.length ?? 0)
  res.statusCode = status
  res.end(payload)
}

/** Answers with a JSON body and an exact `Content-Length`. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers?: ResponseHeaders,
): void {
  send(
    res,
    status,
    'application/json;charset=utf-8',
    Buffer.from(JSON.stringify(body), 'utf8'),
    headers,
  )
}

/** Answers with a plain-text (or other `contentType`) body. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers?: ResponseHeaders,
  contentType = 'text/plain;charset=utf-8',
): void {
  send(res, status, contentType, Buffer.from(text, 'utf8'), headers)
}

/** Answers with no body at all (204 and friends). */
export function sendEmpty(res: ServerResponse, status = 204, headers?: ResponseHeaders): void {
  if (res.headersSent || res.destroyed) return
  for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value)
  res.statusCode = status
  res.end()
}
