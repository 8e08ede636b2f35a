import { createPrivateKey } from 'node:crypto'
import { SignJWT, type JWTPayload } from 'jose'
import type { GitHubSimulator } from '../src/github/index.js'

export interface GitHubCall {
  status: number
  headers: Headers
  text: string
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown
}

export interface CallOptions {
  /** Default: the simulator's token. `null` sends no Authorization. */
  token?: string | null
  /** Extra or overriding request headers; a value of null removes a default one. */
  headers?: Record<string, string | null>
  body?: unknown
}

const DEFAULT_HEADERS: Record<string, string> = {
  'user-agent': 'notiprobe-simulator-tests',
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
}

/** A raw REST call to the simulator (no adapter): `path` is relative to `sim.baseUrl`, or a full URL. */
export async function callGitHub(
  sim: GitHubSimulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<GitHubCall> {
  const headers: Record<string, string> = { ...DEFAULT_HEADERS }
  const token = options.token === undefined ? sim.credentials.token : options.token
  if (token !== null) headers.authorization = `Bearer ${token}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const removed = new Set<string>()
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) removed.add(name)
    else headers[name] = value
  }
  const sent = Object.fromEntries(Object.entries(headers).filter(([name]) => !removed.has(name)))
  const response = await fetch(path.startsWith('http') ? path : `${sim.baseUrl}${path}`, {
    method,
    headers: sent,
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  })
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json }
}

/**
 * Signs an App JWT with the simulator's App key as GitHub hands it out (PKCS#1 PEM, read with
 * node:crypto), with any claim or header overridden.
 */
export async function appJwt(
  sim: GitHubSimulator,
  options: {
    claims?: Record<string, unknown>
    header?: Record<string, unknown>
    nowS?: number
    privateKeyPem?: string
  } = {},
): Promise<string> {
  const key = createPrivateKey(options.privateKeyPem ?? sim.credentials.app.privateKeyPem)
  const now = options.nowS ?? Math.floor(Date.now() / 1000)
  const claims: JWTPayload = {
    iat: now - 60,
    exp: now + 540,
    iss: sim.credentials.app.clientId,
    ...options.claims,
  }
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', ...options.header }).sign(key)
}

/** The `rel="next"` URL of a `link` header, if any. */
export function nextLink(headers: Headers): string | undefined {
  const link = headers.get('link')
  if (link === null) return undefined
  return /<([^>]+)>;\s*rel="next"/i.exec(link)?.[1]
}

/** A mutable clock for `now`. */
export function manualClock(start = Date.UTC(2026, 0, 15, 12, 0, 0)): {
  now: () => number
  advance(ms: number): void
} {
  let t = start
  return {
    now: () => t,
    advance(ms) {
      t += ms
    },
  }
}
