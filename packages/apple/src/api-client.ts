import type { KeyObject } from 'node:crypto'
import { NotificationTestError } from '@notiprobe/core'
import {
  RateLimiter,
  Transport,
  describeIssues,
  failedMessage,
  type AdapterEventListener,
  type Clock,
  type ConnectionOptions,
  type Deadline,
  type Logger,
  type ProxyRoute,
  type Random,
  type RetryPolicy,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import type { AppleEnvironment } from './environment.js'
import {
  APPLE_ENDPOINTS,
  appleBaseUrl,
  appleRateLimit,
  endpointEnvironment,
  type AppleEndpointName,
  type AppleRateLimits,
} from './hosts.js'
import { createAppleJwtSigner } from './jwt.js'
import { appleErrorMapper } from './map-error.js'
import { APPLE_OPERATIONS } from './operations.js'

export interface AppleApiSettings {
  readonly issuerId: string
  readonly keyId: string
  readonly bundleId: string
  readonly privateKey: KeyObject
  readonly environment: AppleEnvironment
  /** Replaces both Apple hosts (the simulator, a proxy). */
  readonly baseUrl?: string | undefined
  /** The option or variable `baseUrl` came from, named if it is refused. */
  readonly baseUrlField?: string | undefined
  readonly retry?: Partial<RetryPolicy> | undefined
  readonly rateLimits: AppleRateLimits
  /** The budget to spend; shared between testers of one app. A new one when not given. */
  readonly rateLimiter?: RateLimiter | undefined
  readonly clock: Clock
  readonly random?: Random | undefined
  readonly logger?: Logger | undefined
  readonly proxy?: ConnectionOptions['proxy']
  readonly ca?: ConnectionOptions['ca']
  readonly onEvent?: AdapterEventListener | undefined
}

/** One call: the path (with its parameter), and a JSON body or query where the endpoint takes one. */
export interface AppleCall {
  readonly path: string
  readonly json?: unknown
  readonly query?: Readonly<Record<string, string | undefined>>
}

/**
 * The App Store Server API over core's transport: the right host for each endpoint (the
 * performance test always on Sandbox), a fresh JWT for every attempt, Apple's rate limits, the
 * Apple error mapping, and every answer checked against its schema.
 */
export class AppleApi {
  readonly environment: AppleEnvironment
  readonly bundleId: string
  readonly #settings: AppleApiSettings
  readonly #transports: Readonly<Record<AppleEnvironment, Transport>>
  readonly #authorization: () => Promise<Record<string, string>>

  constructor(settings: AppleApiSettings) {
    this.#settings = settings
    this.environment = settings.environment
    this.bundleId = settings.bundleId
    const sign = createAppleJwtSigner(settings)
    this.#authorization = async () => ({ authorization: `Bearer ${await sign()}` })
    const limiter = settings.rateLimiter ?? new RateLimiter(settings.clock)
    const transport = (environment: AppleEnvironment): Transport =>
      new Transport({
        vendor: 'apple',
        baseUrl: settings.baseUrl ?? appleBaseUrl(environment),
        baseUrlField: settings.baseUrlField ?? 'baseUrl',
        mapError: appleErrorMapper({ environment }),
        rateLimiter: limiter,
        clock: settings.clock,
        proxy: settings.proxy,
        ca: settings.ca,
        onEvent: settings.onEvent,
        ...(settings.retry === undefined ? {} : { retry: settings.retry }),
        ...(settings.random === undefined ? {} : { random: settings.random }),
        ...(settings.logger === undefined ? {} : { logger: settings.logger }),
      })
    const main = transport(settings.environment)
    // With one base URL for everything (the simulator) one transport serves both environments.
    const sandbox =
      settings.environment === 'Sandbox' || settings.baseUrl !== undefined
        ? main
        : transport('Sandbox')
    this.#transports = { Production: main, Sandbox: sandbox }
  }

  /** The base URL calls of this endpoint go to. */
  baseUrlOf(endpoint: AppleEndpointName): string {
    return this.#transports[endpointEnvironment(endpoint, this.environment)].baseUrl
  }

  /** One request within the public call's `deadline`, its answer checked against `schema`. */
  async call<T>(
    endpoint: AppleEndpointName,
    call: AppleCall,
    schema: z.ZodType<T>,
    deadline: Deadline,
  ): Promise<T> {
    const { method, callKind, bodyRead } = APPLE_ENDPOINTS[endpoint]
    const environment = endpointEnvironment(endpoint, this.environment)
    const transport = this.#transports[environment]
    const operation = APPLE_OPERATIONS[endpoint]
    const mode = this.#settings.rateLimits
    const response = await transport.request({
      operation,
      method,
      path: call.path,
      ...(call.query === undefined ? {} : { query: call.query }),
      ...(call.json === undefined ? {} : { json: call.json }),
      headers: this.#authorization,
      callKind,
      bodyRead,
      rateLimit:
        mode === 'off'
          ? undefined
          : {
              key: `apple|${environment}|${transport.baseUrl}|${this.bundleId}|${endpoint}`,
              limit: appleRateLimit(endpoint, environment, mode),
            },
      deadline,
    })
    const parsed = z.safeParse(schema, response.json)
    if (parsed.success) return parsed.data
    const problem =
      response.json === undefined
        ? `a body that is not JSON (${response.body.length} bytes)`
        : `JSON of an unexpected shape (${describeIssues(parsed.error.issues)})`
    throw new NotificationTestError({
      vendor: 'apple',
      operation: operation.name,
      kind: 'invalid_response',
      httpStatus: response.status,
      message: failedMessage(operation, `Apple answered HTTP ${response.status} with ${problem}.`),
    })
  }

  /** The proxy calls go through, if any. */
  get proxy(): ProxyRoute | undefined {
    return this.#transports.Production.proxy
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.#transports.Production.close()
    if (this.#transports.Sandbox !== this.#transports.Production) this.#transports.Sandbox.close()
  }
}
