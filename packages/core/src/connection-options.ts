import { z } from './zod.js'
import type { AdapterEventListener } from './adapter-events.js'
import type { Clock, Random } from './clock.js'
import type { Logger } from './logger.js'

/** CA certificates (PEM text or DER/PEM buffers), as Node's TLS `ca` takes them. */
export type CaCertificates = string | Buffer | readonly (string | Buffer)[]

/**
 * How an adapter reaches its vendor, the same for every adapter: through which proxy, trusting
 * which CAs.
 */
export interface ConnectionOptions {
  /**
   * An HTTP(S) proxy to tunnel every vendor call through with CONNECT (TLS stays end to end), e.g.
   * `http://user:pass@proxy.corp:3128`; `false` for none, whatever the environment says. Default:
   * `HTTPS_PROXY` / `https_proxy` (`HTTP_PROXY` for an `http` URL), except hosts in `NO_PROXY`.
   */
  readonly proxy?: string | false | undefined
  /**
   * CA certificates trusted for vendor connections (a TLS-inspecting proxy's), replacing Node's
   * defaults for them. To add to the defaults instead, set `NODE_EXTRA_CA_CERTS`.
   */
  readonly ca?: CaCertificates | undefined
}

/** What every adapter's options take besides its vendor's own: time, randomness, logs, the network. */
export interface AdapterOptions extends ConnectionOptions {
  /** Time and sleeping, for tests (default: the system clock). */
  readonly clock?: Clock | undefined
  /** Jitter for backoff, for tests (default: Math.random). */
  readonly random?: Random | undefined
  /** Receives debug lines, redacted. */
  readonly logger?: Logger | undefined
  /**
   * Told of every retry, rate-limit wait and new connection as it happens (no secrets in them),
   * so that a caller can say why it is waiting. What it throws is ignored.
   */
  readonly onEvent?: AdapterEventListener | undefined
}

/** `AdapterOptions` once checked, with the defaults filled in: what a tester runs on. */
export interface ResolvedAdapterOptions {
  readonly clock: Clock
  readonly random: Random
  readonly logger: Logger | undefined
  readonly proxy: ConnectionOptions['proxy']
  readonly ca: ConnectionOptions['ca']
  readonly onEvent: AdapterEventListener | undefined
}

const pemOrBuffer = z.union([
  z.string().check(
    z.includes('-----BEGIN CERTIFICATE-----', {
      error: 'expected a PEM certificate (a BEGIN CERTIFICATE block)',
    }),
  ),
  z.instanceof(Buffer, { error: 'expected PEM text or a Buffer' }),
])

/** The zod fields of `ConnectionOptions`, for each adapter's options schema. */
export const connectionOptionsShape = {
  proxy: z.optional(
    z.union([z.string().check(z.minLength(1)), z.literal(false)], {
      error: 'expected a proxy URL such as http://proxy.corp:3128, or false for none',
    }),
  ),
  ca: z.optional(
    z.union([pemOrBuffer, z.array(pemOrBuffer).check(z.minLength(1))], {
      error: 'expected CA certificates: PEM text, a Buffer, or an array of them',
    }),
  ),
}

/** The zod field of `AdapterOptions.onEvent`, for each adapter's options schema. */
export const eventOptionsShape = {
  onEvent: z.optional(
    z.custom<AdapterEventListener>((value) => typeof value === 'function', {
      error: 'expected a function that takes an event',
    }),
  ),
}

const isFunction = (value: unknown): boolean => typeof value === 'function'
const hasMethods =
  (...names: string[]) =>
  (value: unknown): boolean =>
    typeof value === 'object' &&
    value !== null &&
    names.every((name) => isFunction((value as Record<string, unknown>)[name]))

/** The zod field of `AdapterOptions.clock`. */
export const clockSchema = z.custom<Clock>(hasMethods('now', 'sleep', 'setTimer'), {
  error: 'expected a Clock with now(), sleep(ms, signal) and setTimer(callback, ms)',
})

/**
 * The zod fields of every `AdapterOptions` field, for each adapter's options schema: one wording
 * of each refusal, whichever adapter is given a wrong clock, logger or proxy.
 */
export const adapterOptionsShape = {
  clock: z.optional(clockSchema),
  random: z.optional(
    z.custom<Random>(isFunction, { error: 'expected a function returning a number in [0, 1)' }),
  ),
  logger: z.optional(
    z.custom<Logger>(hasMethods('debug'), { error: 'expected a Logger with debug()' }),
  ),
  ...connectionOptionsShape,
  ...eventOptionsShape,
}
