import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AppliedFault } from './faults.js'

/** One request a simulator received and what it did with it. */
export interface RequestLogEntry {
  /** 1, 2, 3... in arrival order. */
  seq: number
  /** The simulator's endpoint name (`'token'`, `'sendTestNotification'`...), or `'unknown'`. */
  endpoint: string
  method: string
  /** The path without the query string. */
  path: string
  /** The raw query string without `?`, if any. */
  query?: string
  /** Arrival time, from the simulator's clock (ms since epoch). */
  receivedAt: number
  /** When the answer ended or the connection closed. */
  completedAt?: number
  /** The status answered; absent while pending or when the connection was dropped. */
  status?: number
  /** `'answered'`, `'dropped'` (socket closed with no complete answer) or `'pending'`. */
  outcome: 'pending' | 'answered' | 'dropped'
  /** The fault the router applied, as `FaultInjector.intercept` returned it. */
  fault?: AppliedFault
}

export interface RequestLogOptions {
  now?: () => number
  /** Oldest entries are dropped past this many; default 10 000. */
  capacity?: number
}

// Credentials may arrive in the query string (SailPoint's token endpoint accepts them there):
// the log, which is served over HTTP by the control surface, must never echo them.
const SECRET_PARAM = /secret|token|password|assertion|code/i

function redactQuery(query: string): string {
  const params = new URLSearchParams(query)
  let redacted = false
  for (const name of new Set(params.keys())) {
    if (SECRET_PARAM.test(name)) {
      params.set(name, '[redacted]')
      redacted = true
    }
  }
  return redacted ? params.toString() : query
}

/** Records every request, for `inspect()` and `GET /__simulator/inspect`. */
export class RequestLog {
  readonly #now: () => number
  readonly #capacity: number
  readonly #entries: RequestLogEntry[] = []
  #seq = 0

  constructor(options: RequestLogOptions = {}) {
    this.#now = options.now ?? Date.now
    this.#capacity = options.capacity ?? 10_000
  }

  /** Starts an entry now and completes it when the response finishes or the socket closes. */
  track(endpoint: string, req: IncomingMessage, res: ServerResponse): RequestLogEntry {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const entry: RequestLogEntry = {
      seq: ++this.#seq,
      endpoint,
      method: req.method ?? 'GET',
      path: q === -1 ? url : url.slice(0, q),
      ...(q === -1 || q === url.length - 1 ? {} : { query: redactQuery(url.slice(q + 1)) }),
      receivedAt: this.#now(),
      outcome: 'pending',
    }
    this.#entries.push(entry)
    if (this.#entries.length > this.#capacity) this.#entries.shift()
    const complete = (): void => {
      if (entry.outcome !== 'pending') return
      entry.completedAt = this.#now()
      // A 'close' without 'finish' means the socket went before the answer was complete.
      if (res.writableFinished) {
        entry.outcome = 'answered'
        entry.status = res.statusCode
      } else {
        entry.outcome = 'dropped'
      }
    }
    res.once('finish', complete)
    res.once('close', complete)
    return entry
  }

  /** A copy of the entries, oldest first. */
  entries(): RequestLogEntry[] {
    return this.#entries.map((entry) => ({ ...entry }))
  }

  get size(): number {
    return this.#entries.length
  }

  clear(): void {
    this.#entries.length = 0
  }
}
