import { NotificationTestError } from '@notiprobe/core'
import { loadAxios, type Clock } from '@notiprobe/core/adapter'
import { z } from 'zod'
import type { VerifiedChain } from './certificate-chain.js'
import type { ParsedCertificate } from './certificate.js'
import { expected } from './fields.js'
import type * as Ocsp from './ocsp.js'
import { quoteUntrusted } from './untrusted-text.js'
import { VerificationFailure } from './verification-failure.js'
import type { OnlineChecks } from './verify-jws.js'

import type { OnlineChecksOptions } from './online-checks-options.js'

export type { OnlineChecksOptions } from './online-checks-options.js'

export const onlineChecksSchema = z.union(
  [
    z.boolean(),
    z.strictObject({
      timeoutMs: z.number().int().min(1).max(60_000).optional(),
      cacheTtlMs: z.number().int().min(0).max(86_400_000).optional(),
    }),
  ],
  expected('true, false, or {timeoutMs?, cacheTtlMs?}'),
)

const DEFAULT_TIMEOUT_MS = 10_000
/** Apple's verifier reuses a verified chain for 15 minutes. */
const DEFAULT_CACHE_TTL_MS = 15 * 60_000
const MAX_ANSWER_BYTES = 64 * 1024
const MAX_CACHED = 64
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
export function createOnlineChecks(options: OnlineChecksOptions, clock: Clock): OnlineChecks {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
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
      query = ask(certificate, issuer, name, timeoutMs, clock).then((answer) => {
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
  let body: Buffer
  try {
    // The same copy of axios as core's transport, loaded when the first OCSP query is made.
    const response = await loadAxios().post<ArrayBuffer>(
      url,
      ocsp.ocspRequestFor(certificate, issuer),
      {
        headers: {
          'Content-Type': 'application/ocsp-request',
          Accept: 'application/ocsp-response',
        },
        responseType: 'arraybuffer',
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
        maxContentLength: MAX_ANSWER_BYTES,
        maxRedirects: 0,
        validateStatus: () => true,
      },
    )
    if (response.status !== 200) throw unreachable(`answered HTTP ${response.status}`)
    body = Buffer.from(response.data)
  } catch (error) {
    if (error instanceof NotificationTestError) throw error
    const code = (error as { code?: unknown }).code
    throw unreachable(`could not be reached (${typeof code === 'string' ? code : 'network error'})`)
  }
  return ocsp.readOcspAnswer(body, certificate, issuer, name, clock.now())
}
