import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'

export type MalformedKind = 'invalid-json' | 'truncated' | 'html'

/** What to do to the next requests of one endpoint. */
export interface FaultSpec {
  /** Wait this long before answering (alone, the request is then handled normally). */
  latencyMs?: number
  /** Answer with this HTTP status in the vendor's error shape (with `malformed`: that answer's status). */
  status?: number
  /** Answer 429 in the vendor's rate-limit form. */
  rateLimit?: boolean
  /** Destroy the socket without answering. */
  drop?: boolean
  /** Answer with a broken body. */
  malformed?: MalformedKind
  /** Fire on the next N matching requests only; default: until cleared. */
  times?: number
  /** Chance (0..1) that the fault fires on a request, drawn from the injected `random`; default 1. */
  probability?: number
}

const faultSpecShape = {
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  status: z.number().int().min(100).max(599).optional(),
  rateLimit: z.boolean().optional(),
  drop: z.boolean().optional(),
  malformed: z.enum(['invalid-json', 'truncated', 'html']).optional(),
  times: z.number().int().min(1).optional(),
  probability: z.number().min(0).max(1).optional(),
}

/** Why a fault spec is incoherent, or undefined when it is fine. */
function faultSpecProblem(spec: FaultSpec): string | undefined {
  const answers = spec.status !== undefined || spec.malformed !== undefined
  if (spec.drop === true && (answers || spec.rateLimit === true)) {
    return 'drop cannot be combined with status, rateLimit or malformed'
  }
  if (spec.rateLimit === true && answers) {
    return 'rateLimit cannot be combined with status or malformed'
  }
  if (spec.status !== undefined && spec.status < 400 && spec.malformed === undefined) {
    return 'a status below 400 is only meaningful with malformed'
  }
  if (spec.latencyMs === undefined && !answers && spec.drop !== true && spec.rateLimit !== true) {
    return 'a fault needs at least one of latencyMs, status, rateLimit, drop, malformed'
  }
  return undefined
}

const faultRules = (spec: FaultSpec, ctx: z.core.$RefinementCtx): void => {
  const problem = faultSpecProblem(spec)
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem })
}

/** Module-level so a schema is built once, not per request. */
export const faultSpecSchema = z.strictObject(faultSpecShape).superRefine(faultRules)

/** The control surface's body: a fault spec plus the endpoint it is for. */
export const endpointFaultSchema = z
  .strictObject({ endpoint: z.string(), ...faultSpecShape })
  .superRefine(faultRules)

/** The fault that fired on one request, as the request log and inspection report it. */
export interface AppliedFault {
  kind: 'latency' | 'status' | 'rateLimit' | 'drop' | 'malformed'
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

const applied = new WeakMap<ServerResponse, AppliedFault>()

/** The fault applied to this response, if any (read by the request log when the answer ends). */
export function faultAppliedTo(res: ServerResponse): AppliedFault | undefined {
  return applied.get(res)
}

/**
 * Per-endpoint fault injection. The vendor router calls `intercept` before handling a request:
 * latency is applied there, and when a fault answers (or drops) the request `intercept` resolves to
 * true and the router must do nothing more.
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

  /**
   * Applies the endpoint's fault, if one fires. Resolves to true when the request has been dealt
   * with (answered, dropped, or its client went away during the latency).
   */
  async intercept(endpoint: E, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const active = this.#active.get(endpoint)
    if (active === undefined) return false
    const { spec } = active
    // `times` counts firings, so a probabilistic fault still fires exactly N times.
    if (spec.probability !== undefined && this.#random() >= spec.probability) return false
    if (active.remaining !== undefined) {
      active.remaining -= 1
      if (active.remaining <= 0) this.#active.delete(endpoint)
    }
    this.#counts.set(endpoint, (this.#counts.get(endpoint) ?? 0) + 1)
    const fault = describe(spec)
    applied.set(res, fault)

    if (spec.latencyMs !== undefined && spec.latencyMs > 0) {
      const stillThere = await waitUnlessClosed(spec.latencyMs, req, res)
      if (!stillThere) return true
    }
    if (spec.drop === true) {
      req.socket.destroy()
      return true
    }
    if (spec.rateLimit === true) {
      this.#renderer.rateLimited(res)
      return true
    }
    if (spec.malformed !== undefined) {
      const status = spec.status ?? (spec.malformed === 'html' ? 502 : 200)
      if (this.#renderer.malformed) this.#renderer.malformed(res, spec.malformed, status)
      else sendMalformed(res, spec.malformed, status)
      return true
    }
    if (spec.status !== undefined) {
      this.#renderer.error(res, spec.status)
      return true
    }
    return false
  }
}

function describe(spec: FaultSpec): AppliedFault {
  const latency = spec.latencyMs !== undefined ? { latencyMs: spec.latencyMs } : {}
  if (spec.drop === true) return { kind: 'drop', ...latency }
  if (spec.rateLimit === true) return { kind: 'rateLimit', status: 429, ...latency }
  if (spec.malformed !== undefined) {
    const status = spec.status ?? (spec.malformed === 'html' ? 502 : 200)
    return { kind: 'malformed', malformed: spec.malformed, status, ...latency }
  }
  if (spec.status !== undefined) return { kind: 'status', status: spec.status, ...latency }
  return { kind: 'latency', ...latency }
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
