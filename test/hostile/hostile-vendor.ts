import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createAppleTester, type AppleRateLimits, type AppleTester } from '@notiprobe/apple'
import { isNotificationTestError, type NotificationTestError } from '@notiprobe/core'
import { closeServer, listen } from '../support/servers.js'

/**
 * A hand-written misbehaving vendor on 127.0.0.1: every request goes to `handle`, which answers as
 * a broken Apple, SailPoint or proxy would. Written here, not in the simulator, so that each test
 * shows exactly the misbehaviour it is about.
 */
export interface HostileVendor {
  readonly url: string
  /** Requests answered so far. */
  readonly requests: number
  close(): Promise<void>
}

export type Handle = (req: IncomingMessage, res: ServerResponse, count: number) => void

export async function startHostileVendor(handle: Handle): Promise<HostileVendor> {
  let requests = 0
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      requests++
      handle(req, res, requests)
    })
  })
  const url = await listen(server)
  return {
    url,
    get requests() {
      return requests
    },
    close: () => closeServer(server),
  }
}

export function answer(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): void {
  res.writeHead(status, headers)
  res.end(body)
}

/** An Apple key and the settings a tester (or the CLI, through the environment) needs. */
export const APPLE_KEY = (() => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  const dir = mkdtempSync(join(tmpdir(), 'notiprobe-hostile-key-'))
  const file = join(dir, 'AuthKey_HOSTILE001.p8')
  writeFileSync(file, pem, { mode: 0o600 })
  return { pem, file, keyId: 'HOSTILE001', issuerId: '57246542-96fe-1a63-e053-0824d011072a' }
})()

export function appleTester(baseUrl: string, rateLimits: AppleRateLimits = 'off'): AppleTester {
  return createAppleTester({
    issuerId: APPLE_KEY.issuerId,
    keyId: APPLE_KEY.keyId,
    privateKey: APPLE_KEY.pem,
    bundleId: 'com.example.hostile',
    environment: 'Sandbox',
    baseUrl,
    rateLimits,
    retry: { maxAttempts: 1 },
  })
}

/** The environment the CLI reads its Apple settings from, pointed at `baseUrl`. */
export function appleEnv(): Record<string, string> {
  return {
    NO_COLOR: '1',
    APPLE_ISSUER_ID: APPLE_KEY.issuerId,
    APPLE_KEY_ID: APPLE_KEY.keyId,
    APPLE_PRIVATE_KEY_FILE: APPLE_KEY.file,
    APPLE_BUNDLE_ID: 'com.example.hostile',
    APPLE_ENVIRONMENT: 'Sandbox',
  }
}

/** The error `promise` rejects with, which must be a NotificationTestError, and how long it took. */
export async function typedFailure(
  promise: Promise<unknown>,
): Promise<{ error: NotificationTestError; ms: number }> {
  const started = performance.now()
  try {
    await promise
  } catch (error) {
    if (!isNotificationTestError(error)) {
      throw new Error(`a raw error escaped: ${String(error)}`, { cause: error })
    }
    return { error, ms: performance.now() - started }
  }
  throw new Error('expected a failure, the call succeeded')
}

/** Median time of `runs` calls of `work`, in milliseconds. */
export function medianMs(work: () => unknown, runs = 5): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    work()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(runs / 2)] ?? 0
}

/** Control characters a terminal acts on; line breaks and tabs aside. */
// eslint-disable-next-line no-control-regex
export const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

export const KB = 1024
export const MIB = 1024 * 1024

/** `unit` repeated to exactly `size` characters. */
export function hostileText(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size)
}
