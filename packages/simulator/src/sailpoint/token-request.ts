import type { IncomingMessage } from 'node:http'
import { readBody } from '../common/http-io.js'

/** The parameters of a token request, merged from wherever the client put them. */
export interface TokenRequest {
  params: ReadonlyMap<string, string>
  /** Client credentials from `Authorization: Basic`, when present. */
  basic?: { clientId: string; clientSecret: string }
  /** Where `client_id` came from, for the request log and tests. */
  credentialSource: 'basic' | 'body' | 'multipart' | 'query' | 'none'
}

const TOKEN_BODY_LIMIT = 64 * 1024

/**
 * Reads a token request the way SailPoint's endpoint accepts it: parameters in the query string,
 * in a URL-encoded or multipart body (the body wins on conflict), and client credentials
 * optionally in HTTP Basic auth (RFC 6749 §2.3.1: each part form-encoded, then base64).
 * Any other body (JSON, say) is ignored, as an OAuth server does.
 */
export async function readTokenRequest(req: IncomingMessage, url: URL): Promise<TokenRequest> {
  const params = new Map<string, string>()
  let credentialSource: TokenRequest['credentialSource'] = 'none'
  const take = (entries: Iterable<[string, string]>, source: 'body' | 'multipart' | 'query') => {
    for (const [name, value] of entries) {
      params.set(name, value)
      if (name === 'client_id') credentialSource = source
    }
  }
  take(url.searchParams, 'query')

  const body = await readBody(req, TOKEN_BODY_LIMIT)
  const type = (req.headers['content-type'] ?? '').toLowerCase()
  if (type.startsWith('application/x-www-form-urlencoded')) {
    take(new URLSearchParams(body.toString('utf8')), 'body')
  } else if (type.startsWith('multipart/form-data')) {
    take(await parseMultipart(body, req.headers['content-type'] ?? ''), 'multipart')
  }
  const basic = parseBasic(req.headers.authorization)
  if (basic) credentialSource = 'basic'
  return { params, ...(basic ? { basic } : {}), credentialSource }
}

/** Node's fetch `Response` parses multipart for us; a broken body just gives no parameters. */
async function parseMultipart(body: Buffer, contentType: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  try {
    const response = new Response(new Uint8Array(body), {
      headers: { 'content-type': contentType },
    })
    // The deprecation warns about unbounded uploads; this body is already capped at 64 KiB.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const form = await response.formData()
    for (const [name, value] of form) if (typeof value === 'string') out.set(name, value)
  } catch {
    // Unparseable multipart: treated as no parameters, so the request fails as a bad request.
  }
  return out
}

function parseBasic(header: string | undefined): TokenRequest['basic'] {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '')
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon === -1) return undefined
  return {
    clientId: formDecode(decoded.slice(0, colon)),
    clientSecret: formDecode(decoded.slice(colon + 1)),
  }
}

function formDecode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '))
  } catch {
    return part
  }
}
