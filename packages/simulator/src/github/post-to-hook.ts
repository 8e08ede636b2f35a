import http from 'node:http'
import https from 'node:https'

/** The receiver's answer, bounded: at most this many headers and this much body are kept. */
export const RESPONSE_HEADERS_KEPT = 64
export const RESPONSE_HEADER_VALUE_CHARS = 1024
export const RESPONSE_BODY_EXCERPT_BYTES = 16 * 1024

/** Why no HTTP answer came back. */
export type ConnectionFailure = 'timeout' | 'refused' | 'dns' | 'tls' | 'reset' | 'invalid-response'

export type HookPostResult =
  | {
      kind: 'response'
      statusCode: number
      headers: Record<string, string>
      /** The first `RESPONSE_BODY_EXCERPT_BYTES` of the body, as UTF-8 (lossy). */
      bodyExcerpt: string
      durationMs: number
    }
  | { kind: 'failure'; failure: ConnectionFailure; detail: string; durationMs: number }

export interface HookPostOptions {
  timeoutMs: number
  /** `insecure_ssl: "1"`: do not verify the receiver's certificate. */
  insecureSsl: boolean
  signal: AbortSignal
}

const DNS_ERRORS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME'])
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])
const TLS_ERROR = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$)/

/**
 * One POST to a hook URL, exactly once: no retry, no redirect followed (a 3xx is the answer). The
 * whole exchange, body included, must end within `timeoutMs`, as GitHub's 10 s cut-off; a body
 * longer than the excerpt is not waited for.
 */
export function postToHook(
  target: string,
  headers: Readonly<Record<string, string>>,
  body: Buffer,
  options: HookPostOptions,
): Promise<HookPostResult> {
  const started = performance.now()
  const elapsed = (): number => performance.now() - started
  let url: URL
  try {
    url = new URL(target)
  } catch {
    return Promise.resolve({
      kind: 'failure',
      failure: 'dns',
      detail: 'invalid URL',
      durationMs: 0,
    })
  }
  const transport = url.protocol === 'https:' ? https : http
  return new Promise((resolve) => {
    let settled = false
    const settle = (result: HookPostResult): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      options.signal.removeEventListener('abort', onAbort)
      resolve(result)
      request.destroy()
    }
    const fail = (failure: ConnectionFailure, detail: string): void =>
      settle({ kind: 'failure', failure, detail, durationMs: elapsed() })

    // A fresh connection per delivery (no agent): nothing lingers after close().
    const request = transport.request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': String(body.length) },
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !options.insecureSsl } : {}),
      },
      (response) => {
        const chunks: Buffer[] = []
        let size = 0
        const answer = (): void =>
          settle({
            kind: 'response',
            statusCode: response.statusCode ?? 0,
            headers: boundedHeaders(response.rawHeaders),
            bodyExcerpt: Buffer.concat(chunks).toString('utf8'),
            durationMs: elapsed(),
          })
        response.on('data', (chunk: Buffer) => {
          const room = RESPONSE_BODY_EXCERPT_BYTES - size
          chunks.push(chunk.subarray(0, Math.max(0, room)))
          size += chunk.length
          // Enough to record; the rest of a huge body is not GitHub's concern, nor ours.
          if (size >= RESPONSE_BODY_EXCERPT_BYTES) answer()
        })
        response.on('end', answer)
        response.on('error', () => answer())
        response.on('close', () => {
          if (!response.complete) answer()
        })
      },
    )
    request.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? ''
      if (DNS_ERRORS.has(code)) fail('dns', code)
      else if (CONNECT_ERRORS.has(code)) fail('refused', code)
      else if (TLS_ERROR.test(code)) fail('tls', code)
      else if (code.startsWith('HPE_')) fail('invalid-response', code)
      else fail('reset', code || error.message)
    })
    const timer = setTimeout(() => fail('timeout', 'no answer in time'), options.timeoutMs)
    const onAbort = (): void => fail('reset', 'simulator closing')
    options.signal.addEventListener('abort', onAbort, { once: true })
    request.end(body)
  })
}

/** Header names as the receiver spelled them, values as strings, repeated ones joined. */
function boundedHeaders(raw: readonly string[]): Record<string, string> {
  // No prototype: a receiver's `__proto__` header must stay a plain entry.
  const out = Object.create(null) as Record<string, string>
  let kept = 0
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? ''
    const value = (raw[i + 1] ?? '').slice(0, RESPONSE_HEADER_VALUE_CHARS)
    if (Object.hasOwn(out, name)) {
      out[name] = `${out[name] ?? ''}, ${value}`.slice(0, RESPONSE_HEADER_VALUE_CHARS)
      continue
    }
    if (kept >= RESPONSE_HEADERS_KEPT) continue
    out[name] = value
    kept++
  }
  return out
}
