import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { decodeJwt, decodeProtectedHeader, importPKCS8, SignJWT, type JWTPayload } from 'jose'
import type { AppleSimulator } from '../src/apple/index.js'

/** Signs an App Store Server API JWT for the simulator's key, with any field overridden. */
export async function appleJwt(
  sim: AppleSimulator,
  options: {
    claims?: Record<string, unknown>
    header?: Record<string, unknown>
    privateKeyPem?: string
    nowS?: number
  } = {},
): Promise<string> {
  const { credentials } = sim
  const key = await importPKCS8(options.privateKeyPem ?? credentials.privateKeyPem, 'ES256')
  const iat = options.nowS ?? Math.floor(Date.now() / 1000)
  const claims: JWTPayload = {
    iss: credentials.issuerId,
    aud: 'appstoreconnect-v1',
    bid: credentials.bundleId,
    iat,
    exp: iat + 300,
    ...options.claims,
  }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: credentials.keyId, typ: 'JWT', ...options.header })
    .sign(key)
}

export interface AppleCall {
  status: number
  headers: Headers
  text: string
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown
}

/** Calls the simulator with a fresh valid JWT (or the given one, or none with `token: null`). */
export async function callApple(
  sim: AppleSimulator,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; token?: string | null; nowS?: number } = {},
): Promise<AppleCall> {
  const token =
    options.token === undefined
      ? await appleJwt(sim, options.nowS === undefined ? {} : { nowS: options.nowS })
      : options.token
  const headers: Record<string, string> = {}
  if (token !== null) headers.authorization = `Bearer ${token}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${sim.baseUrl}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
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

/** What a receiver got: one entry per request. */
export interface Received {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

export type ReceiverHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void

export interface Receiver {
  url: string
  received: Received[]
  /** The most requests that were being handled at once. */
  maxConcurrent: number
  setHandler(handler: ReceiverHandler): void
  close(): Promise<void>
}

/** A customer endpoint on 127.0.0.1 that records what arrives; answers 200 `{}` by default. */
export async function startReceiver(handler?: ReceiverHandler): Promise<Receiver> {
  let current: ReceiverHandler =
    handler ??
    ((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  const received: Received[] = []
  const sockets = new Set<Socket>()
  let concurrent = 0
  const receiver: Receiver = {
    url: '',
    received,
    maxConcurrent: 0,
    setHandler(next) {
      current = next
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    concurrent++
    receiver.maxConcurrent = Math.max(receiver.maxConcurrent, concurrent)
    res.on('close', () => concurrent--)
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      current(req, res, body)
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  receiver.url = `http://127.0.0.1:${String(port)}/notifications`
  return receiver
}

/** A URL on which nothing listens (a port just freed). */
export async function deadUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${String(port)}/gone`
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** The decoded header and payload of a compact JWS (no verification). */
export function decodeJws(jws: string): { header: Record<string, unknown>; payload: JWTPayload } {
  return { header: decodeProtectedHeader(jws), payload: decodeJwt(jws) }
}
