import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'

export type MalformedKind = 'invalid-json' | 'truncated' | 'html'

/** When and how often a fault fires, whatever its kind. */
interface FaultTiming {
  /** Wait this long first (alone, as kind `latency`, the request is then handled normally). */
  latencyMs?: number
  /** Fire on the next N matching requests only; default: until cleared. */
  times?: number
  /** Chance (0..1) that the fault fires on a request, drawn from the injected `random`; default 1. */
  probability?: number
}

/** What to do to the next requests of one endpoint: one kind of fault, each with what it needs. */
export type FaultSpec = FaultTiming &
  (
    | { kind: 'latency'; latencyMs: number }
    /** Answer with this HTTP status in the vendor's error shape. */
    | { kind: 'status'; status: number }
    /** Answer 429 in the vendor's rate-limit form. */
    | { kind: 'rateLimit' }
    /** Destroy the socket without answering. */
    | { kind: 'drop' }
    /** Answer with a broken body, with `status` (default 200, 502 for `html`). */
    | { kind: 'malformed'; malformed: MalformedKind; status?: number }
  )

export type FaultKind = FaultSpec['kind']

const timing = {
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  times: z.number().int().min(1).optional(),
  probability: z.number().min(0).max(1).optional(),
}

const faultKinds = [
  z.strictObject({
    kind: z.literal('latency'),
    ...timing,
    latencyMs: z.number().int().min(0).max(600_000),
  }),
  z.strictObject({
    kind: z.literal('status'),
    status: z.number().int().min(400).max(599),
    ...timing,
  }),
  z.strictObject({ kind: z.literal('rateLimit'), ...timing }),
  z.strictObject({ kind: z.literal('drop'), ...timing }),
  z.strictObject({
    kind: z.literal('malformed'),
    malformed: z.enum(['invalid-json', 'truncated', 'html']),
    status: z.number().int().min(100).max(599).optional(),
    ...timing,
  }),
] as const

/** Module-level so a schema is built once, not per request. */
export const faultSpecSchema: z.ZodType<FaultSpec> = z.discriminatedUnion('kind', [...faultKinds])

/** The control surface's body: a fault spec plus the endpoint it is for. */
export const endpointFaultSchema = z.discriminatedUnion(
  'kind',
  faultKinds.map((kind) => kind.extend({ endpoint: z.string() })) as unknown as [
    (typeof faultKinds)[number],
    ...(typeof faultKinds)[number][],
  ],
) as unknown as z.ZodType<FaultSpec & { endpoint: string }>

/** The fault that fired on one request, as `intercept` returns it and the request log keeps it. */
export interface AppliedFault {
  kind: FaultKind
  latencyMs?: number
  status?: number
  malformed?: MalformedKind
}

/** Each vendor answers faults in its own shape. */
export interface FaultRenderer {
  /** A 5xx (or any status) in the vendor's error body. */
  error(res: ServerResponse, status: number): void
  /** A 429 in the vendor's form, with its `Retry-After`. */
  rateLimited(res: ServerResponse): void
  /** Optional: the vendor's own broken bodies; otherwise `sendMalformed` is used. */
  malformed?(res: ServerResponse, kind: MalformedKind, status: number): void
}

export interface FaultInjectorOptions<E extends string> {
  /** The endpoint names faults may be set on (checked by `set` and the control surface). */
  endpoints: readonly E[]
  renderer: FaultRenderer
  random?: () => number
}

export interface FaultCount<E extends string> {
  total: number
  byEndpoint: Partial<Record<E, number>>
}

interface ActiveFault {
  spec: FaultSpec
  remaining: number | undefined
}

/** What `intercept` did: the fault it applied, and whether the request is dealt with. */
export interface Interception {
  readonly fault: AppliedFault
  /** True when the fault answered or dropped the request (or its client left during the wait). */
  readonly handled: boolean
}

/**
 * Per-endpoint fault injection. The vendor router calls `intercept` before handling a request:
 * latency is applied there; it returns the fault it applied, and when that fault answered (or
 * dropped) the request, `handled`: the router must do nothing more.
 */
export class FaultInjector<E extends string> {
  readonly endpoints: readonly E[]
  readonly #renderer: FaultRenderer
  readonly #random: () => number
  readonly #active = new Map<E, ActiveFault>()
  readonly #counts = new Map<E, number>()

  constructor(options: FaultInjectorOptions<E>) {
    this.endpoints = options.endpoints
    this.#renderer = options.renderer
    this.#random = options.random ?? Math.random
  }

  isEndpoint(name: unknown): name is E {
    return typeof name === 'string' && (this.endpoints as readonly string[]).includes(name)
  }

  /** Sets (replacing) the fault of one endpoint. Throws on an unknown endpoint or a bad spec. */
  set(endpoint: E, spec: FaultSpec): void {
    if (!this.isEndpoint(endpoint)) {
      throw new Error(
        `unknown endpoint ${JSON.stringify(endpoint)}; expected one of ${this.endpoints.join(', ')}`,
      )
    }
    const parsed = faultSpecSchema.safeParse(spec)
    if (!parsed.success) throw new Error(`invalid fault: ${z.prettifyError(parsed.error)}`)
    this.#active.set(endpoint, { spec: parsed.data, remaining: parsed.data.times })
  }

  /** Clears one endpoint's fault, or all of them. Counts are kept. */
  clear(endpoint?: E): void {
    if (endpoint === undefined) this.#active.clear()
    else this.#active.delete(endpoint)
  }

  /** Active faults, with how many firings remain (`undefined`: until cleared). */
  list(): Partial<Record<E, FaultSpec & { remaining?: number }>> {
    const out: Partial<Record<E, FaultSpec & { remaining?: number }>> = {}
    for (const [endpoint, { spec, remaining }] of this.#active) {
      out[endpoint] = remaining === undefined ? { ...spec } : { ...spec, remaining }
    }
    return out
  }

  /** How many faults fired, in total and per endpoint. */
  get count(): FaultCount<E> {
    const byEndpoint: Partial<Record<E, number>> = {}
    let total = 0
    for (const [endpoint, n] of this.#counts) {
      byEndpoint[endpoint] = n
      total += n
    }
    return { total, byEndpoint }
  }

  /** Applies the endpoint's fault, if one fires, and says which and whether it answered. */
  async intercept(
    endpoint: E,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<Interception | undefined> {
    const active = this.#active.get(endpoint)
    if (active === undefined) return undefined
    const { spec } = active
    // `times` counts firings, so a probabilistic fault still fires exactly N times.
    if (spec.probability !== undefined && this.#random() >= spec.probability) return undefined
    if (active.remaining !== undefined) {
      active.remaining -= 1
      if (active.remaining <= 0) this.#active.delete(endpoint)
    }
    this.#counts.set(endpoint, (this.#counts.get(endpoint) ?? 0) + 1)
    const fault = applied(spec)
    if (spec.latencyMs !== undefined && spec.latencyMs > 0) {
      const stillThere = await waitUnlessClosed(spec.latencyMs, req, res)
      if (!stillThere) return { fault, handled: true }
    }
    switch (spec.kind) {
      case 'latency':
        return { fault, handled: false }
      case 'drop':
        req.socket.destroy()
        break
      case 'rateLimit':
        this.#renderer.rateLimited(res)
        break
      case 'malformed': {
        const status = fault.status ?? 200
        if (this.#renderer.malformed) this.#renderer.malformed(res, spec.malformed, status)
        else sendMalformed(res, spec.malformed, status)
        break
      }
      case 'status':
        this.#renderer.error(res, spec.status)
        break
    }
    return { fault, handled: true }
  }
}

/** The fault a spec applies, with the status a malformed answer defaults to. */
function applied(spec: FaultSpec): AppliedFault {
  const latency = spec.latencyMs === undefined ? {} : { latencyMs: spec.latencyMs }
  switch (spec.kind) {
    case 'status':
      return { kind: 'status', status: spec.status, ...latency }
    case 'rateLimit':
      return { kind: 'rateLimit', status: 429, ...latency }
    case 'malformed':
      return {
        kind: 'malformed',
        malformed: spec.malformed,
        status: spec.status ?? (spec.malformed === 'html' ? 502 : 200),
        ...latency,
      }
    default:
      return { kind: spec.kind, ...latency }
  }
}

/** Sleeps, but gives up as soon as the client hangs up or the server closes the socket. */
function waitUnlessClosed(ms: number, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      req.socket.off('close', onClose)
      resolve(!res.destroyed && !req.socket.destroyed)
    }, ms)
    req.socket.once('close', onClose)
  })
}

/**
 * Generic broken answers: JSON that does not parse, a body cut short of its `Content-Length`
 * (the socket is destroyed mid-body), or an HTML error page as a proxy in front of the vendor sends.
 */
export function sendMalformed(res: ServerResponse, kind: MalformedKind, status: number): void {
  if (res.headersSent || res.destroyed) return
  if (kind === 'html') {
    const html = `<html><head><title>${String(status)} Bad Gateway</title></head><body><center><h1>${String(status)} Bad Gateway</h1></center></body></html>\n`
    res.writeHead(status, {
      'content-type': 'text/html',
      'content-length': Buffer.byteLength(html),
    })
    res.end(html)
    return
  }
  if (kind === 'invalid-json') {
    const body = '{"detailCode": "200 OK", "messages": [ {"text": unquoted'
    res.writeHead(status, {
      'content-type': 'application/json;charset=utf-8',
      'content-length': Buffer.byteLength(body),
    })
    res.end(body)
    return
  }
  const full = JSON.stringify({ message: 'this body is cut short before its declared length' })
  const half = full.slice(0, Math.floor(full.length / 2))
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(full),
  })
  // Flush the first half, then kill the socket: the client sees a premature close.
  res.write(half, () => res.socket?.destroy())
}
