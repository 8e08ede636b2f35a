import { NotificationTestError } from '@notiprobe/core'
import { Connections, loadAxios, type Clock, type ConnectionOptions } from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import type { VerifiedChain } from './certificate-chain.js'
import type { ParsedCertificate } from './certificate.js'
import { expected } from './fields.js'
import type * as Ocsp from './ocsp.js'
import { quoteUntrusted } from './untrusted-text.js'
import { VerificationFailure } from './verification-failure.js'
import type { OnlineChecks } from './verify-jws.js'

import type { OnlineChecksOptions } from './online-checks-options.js'

export type { OnlineChecksOptions } from './online-checks-options.js'

export const onlineChecksSchema = z.lazy(() =>
  z.union(
    [
      z.boolean(),
      z.strictObject({
        timeoutMs: z.optional(z.number().check(z.int(), z.gte(1), z.lte(60_000))),
        cacheTtlMs: z.optional(z.number().check(z.int(), z.gte(0), z.lte(86_400_000))),
      }),
    ],
    expected('true, false, or {timeoutMs?, cacheTtlMs?}'),
  ),
)

const DEFAULT_TIMEOUT_MS = 10_000
/** Apple's verifier reuses a verified chain for 15 minutes. */
const DEFAULT_CACHE_TTL_MS = 15 * 60_000
const MAX_ANSWER_BYTES = 64 * 1024
const MAX_CACHED = 64
/** Responders are few (Apple names one per CA); past this many, the oldest one's agents go. */
const MAX_RESPONDERS = 8
const OPERATION = 'apple.verifySignedPayload'

interface CachedAnswer {
  readonly answer: Ocsp.OcspStatus
  readonly expiresAt: number
}

let ocspModule: Promise<typeof Ocsp> | undefined

/**
 * Online checks as Apple's verifier makes them: certificates valid now, and an OCSP query for the
 * leaf (answered for its intermediate) and for the intermediate (answered for the trusted root).
 * Answers are cached per certificate, so a receiver does not ask for every notification, and
 * concurrent checks of one certificate share one query. A revoked or unknown certificate is a
 * verification failure; a responder that cannot be reached or answers with an error is a
 * retryable `verification` error: never a pass.
 */
export function createOnlineChecks(
  options: OnlineChecksOptions,
  clock: Clock,
  connection: ConnectionOptions = {},
): OnlineChecks {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const responders = new Map<string, Connections>()
  // The kit's connections, as for every Apple call: the proxy (CONNECT), the CAs, and a tunnel
  // whose proxy cannot stall or flood the check.
  const connectionsFor = (url: string): Connections => {
    const target = new URL(url)
    let found = responders.get(target.origin)
    if (found === undefined) {
      if (responders.size >= MAX_RESPONDERS) {
        const [oldest] = responders
        oldest?.[1].destroy()
        if (oldest !== undefined) responders.delete(oldest[0])
      }
      found = new Connections(target, { vendor: 'apple', ...connection })
      responders.set(target.origin, found)
    }
    return found
  }
  const cacheTtlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS
  const cache = new Map<string, CachedAnswer>()
  const inFlight = new Map<string, Promise<Ocsp.OcspStatus>>()

  const statusOf = async (
    certificate: ParsedCertificate,
    issuer: ParsedCertificate,
    name: string,
  ): Promise<Ocsp.OcspStatus> => {
    const key = `${certificate.x509.fingerprint256}>${issuer.x509.fingerprint256}`
    const cached = cache.get(key)
    if (cached !== undefined && cached.expiresAt > clock.now()) return cached.answer
    let query = inFlight.get(key)
    if (query === undefined) {
      query = ask(certificate, issuer, name, timeoutMs, clock, connectionsFor).then((answer) => {
        const now = clock.now()
        const until = answer.status === 'good' ? (answer.nextUpdate ?? Infinity) : Infinity
        if (answer.status !== 'unknown') {
          if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value ?? '')
          cache.set(key, { answer, expiresAt: Math.min(now + cacheTtlMs, until) })
        }
        return answer
      })
      const forget = (): void => {
        inFlight.delete(key)
      }
      query.then(forget, forget)
      inFlight.set(key, query)
    }
    return query
  }

  const checkOne = async (
    certificate: ParsedCertificate,
    issuer: ParsedCertificate,
    name: string,
  ): Promise<void> => {
    const answer = await statusOf(certificate, issuer, name)
    if (answer.status === 'revoked') {
      throw new VerificationFailure(
        `${name} was revoked at ${new Date(answer.revokedAt).toISOString()}`,
      )
    }
    if (answer.status === 'unknown') {
      throw new VerificationFailure(`${name} is unknown to its OCSP responder`)
    }
  }

  return {
    now: () => clock.now(),
    async check(chain: VerifiedChain) {
      await Promise.all([
        checkOne(chain.leaf, chain.intermediate, 'x5c[0] (leaf)'),
        checkOne(chain.intermediate, chain.root, 'x5c[1] (intermediate)'),
      ])
    },
  }
}

async function ask(
  certificate: ParsedCertificate,
  issuer: ParsedCertificate,
  name: string,
  timeoutMs: number,
  clock: Clock,
  connectionsFor: (url: string) => Connections,
): Promise<Ocsp.OcspStatus> {
  const ocsp = await (ocspModule ??= import('./ocsp.js'))
  const url = ocsp.ocspUrlOf(certificate, name)
  const unreachable = (why: string, cause?: unknown): NotificationTestError =>
    new NotificationTestError({
      vendor: 'apple',
      operation: OPERATION,
      kind: 'verification',
      retryable: true,
      message: `Signed payload not verified: the OCSP responder for ${name} at ${quoteUntrusted(url)} ${why}, so its revocation is unknown; try again later.`,
      cause,
    })
  let connections: Connections
  try {
    connections = connectionsFor(url)
  } catch (error) {
    // A proxy setting in the environment that is not a URL: named by the kit's message.
    throw unreachable(
      `could not be asked (${error instanceof Error ? error.message : 'bad proxy setting'})`,
    )
  }
  const proxy = connections.proxy
  const viaProxy =
    proxy === undefined ? '' : ` through the proxy ${proxy.display} (from ${proxy.source})`
  let body: Buffer
  // On the injected clock, so tests and callers with their own time see the timeout they set.
  const ended = new AbortController()
  const cancelTimer = clock.setTimer(() => ended.abort(), timeoutMs)
  try {
    // The same copy of axios as core's transport, loaded when the first OCSP query is made.
    const response = await loadAxios().post<ArrayBuffer>(
      url,
      ocsp.ocspRequestFor(certificate, issuer),
      {
        httpAgent: connections.httpAgent,
        httpsAgent: connections.httpsAgent,
        // The agent tunnels through the proxy; axios's own proxying would send the request to it.
        proxy: false,
        headers: {
          'Content-Type': 'application/ocsp-request',
          Accept: 'application/ocsp-response',
        },
        responseType: 'arraybuffer',
        signal: ended.signal,
        maxContentLength: MAX_ANSWER_BYTES,
        maxRedirects: 0,
        validateStatus: () => true,
      },
    )
    const refused = connections.refusal(response.request)
    if (refused !== undefined) {
      throw unreachable(
        `could not be reached: the proxy ${proxy?.display ?? ''} (from ${proxy?.source ?? 'proxy'}) refused to open a tunnel (HTTP ${refused})`,
      )
    }
    if (response.status !== 200) throw unreachable(`answered HTTP ${response.status}`)
    body = Buffer.from(response.data)
  } catch (error) {
    if (error instanceof NotificationTestError) throw error
    if (ended.signal.aborted) throw unreachable(`did not answer within ${timeoutMs} ms${viaProxy}`)
    if (answerTooLarge(error)) {
      throw unreachable(`sent an answer too large (over ${MAX_ANSWER_BYTES} bytes)${viaProxy}`)
    }
    const code = (error as { code?: unknown }).code
    const request = (error as { request?: unknown }).request
    const where = connections.failedBeforeTunnel(request) ? ` at the proxy${viaProxy}` : viaProxy
    throw unreachable(
      `could not be reached (${typeof code === 'string' ? code : 'network error'}${where})`,
    )
  } finally {
    cancelTimer()
  }
  return ocsp.readOcspAnswer(body, certificate, issuer, name, clock.now())
}

/** axios's error for a body past `maxContentLength`: it has no code of its own, only this text. */
function answerTooLarge(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown }
  return (
    code === 'ERR_BAD_RESPONSE' &&
    typeof message === 'string' &&
    message.includes('maxContentLength')
  )
}
