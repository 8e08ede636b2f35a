import { deliveryStatus, type StatusCodePicks } from './delivery-status.js'
import type { DeliveriesLog } from './deliveries-log.js'
import type { DeliveryRecord } from './delivery-record.js'
import { installationTargetType, type Hook } from './hooks.js'
import { IdSequence, newGuid } from './identifiers.js'
import { postToHook } from './post-to-hook.js'
import { signatureSha1, signatureSha256 } from './signatures.js'

/** An event to deliver to one hook. */
export interface HookEvent {
  event: string
  action: string | null
  payload: unknown
  installationId: number | null
  repositoryId: number | null
}

export interface HookDispatcherOptions extends StatusCodePicks {
  log: DeliveriesLog
  now: () => number
  random: () => number
  userAgent: string
  deliveryDelayMs: number
  logDelayMs: number
  deliveryTimeoutMs: number
}

/**
 * Sends events to hooks for real, once each (GitHub never retries on its own), and records every
 * attempt in the deliveries log. A redelivery re-sends the original payload under the original
 * GUID, with the hook's current URL, content type and secret, as a new entry.
 */
export class HookDispatcher {
  readonly #o: HookDispatcherOptions
  readonly #ids = new IdSequence(12_884_901_889)
  readonly #timers = new Set<NodeJS.Timeout>()
  readonly #inFlight = new Set<Promise<void>>()
  // One controller per POST in flight: a shared signal would warn past ten listeners.
  readonly #posts = new Set<AbortController>()
  #closed = false
  #sent = 0

  constructor(options: HookDispatcherOptions) {
    this.#o = options
  }

  /** How many POSTs were made so far. */
  get sent(): number {
    return this.#sent
  }

  /** Schedules a first delivery; resolves to its GUID (the `X-GitHub-Delivery` to come). */
  deliver(hook: Hook, event: HookEvent): string {
    const guid = newGuid(this.#o.random)
    this.#schedule(hook, event, guid, false)
    return guid
  }

  /** Schedules a redelivery of `original` (same GUID and payload, `redelivery: true`). */
  redeliver(hook: Hook, original: DeliveryRecord): void {
    const event: HookEvent = {
      event: original.event,
      action: original.action,
      payload: original.payload,
      installationId: original.installationId,
      repositoryId: original.repositoryId,
    }
    this.#schedule(hook, event, original.guid, true)
  }

  /** Cancels scheduled deliveries and aborts those in flight (they leave no record). */
  async close(): Promise<void> {
    this.#closed = true
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    for (const post of this.#posts) post.abort()
    await Promise.all(this.#inFlight)
  }

  /** Resolves once nothing is scheduled or in flight (tests use it instead of sleeping). */
  async idle(): Promise<void> {
    while (this.#timers.size > 0 || this.#inFlight.size > 0) {
      await Promise.race([...this.#inFlight, new Promise((resolve) => setTimeout(resolve, 5))])
    }
  }

  #schedule(hook: Hook, event: HookEvent, guid: string, redelivery: boolean): void {
    if (this.#closed) return
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      const attempt = this.#attempt(hook, event, guid, redelivery).finally(() =>
        this.#inFlight.delete(attempt),
      )
      this.#inFlight.add(attempt)
    }, this.#o.deliveryDelayMs)
    this.#timers.add(timer)
  }

  async #attempt(hook: Hook, event: HookEvent, guid: string, redelivery: boolean): Promise<void> {
    const { now, log } = this.#o
    // The hook's config when the POST goes out: a secret changed in between applies.
    const { url, contentType, secret, insecureSsl } = hook.config
    const json = JSON.stringify(event.payload)
    const bodyText =
      contentType === 'json' ? json : new URLSearchParams({ payload: json }).toString()
    const body = Buffer.from(bodyText, 'utf8')
    const headers: Record<string, string> = {
      Accept: '*/*',
      'content-type':
        contentType === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
      'User-Agent': this.#o.userAgent,
      'X-GitHub-Delivery': guid,
      'X-GitHub-Event': event.event,
      'X-GitHub-Hook-ID': String(hook.id),
      'X-GitHub-Hook-Installation-Target-ID': String(hook.targetId),
      'X-GitHub-Hook-Installation-Target-Type': installationTargetType(hook),
    }
    if (secret !== undefined) {
      headers['X-Hub-Signature'] = signatureSha1(secret, body)
      headers['X-Hub-Signature-256'] = signatureSha256(secret, body)
    }
    const deliveredAt = now()
    const controller = new AbortController()
    this.#posts.add(controller)
    this.#sent++
    let result: Awaited<ReturnType<typeof postToHook>>
    try {
      result = await postToHook(url, headers, body, {
        timeoutMs: this.#o.deliveryTimeoutMs,
        insecureSsl: insecureSsl === '1',
        signal: controller.signal,
      })
    } finally {
      this.#posts.delete(controller)
    }
    if (this.#closed) return
    const { status, statusCode } = deliveryStatus(result, this.#o)
    const record: DeliveryRecord = {
      id: this.#ids.take(),
      guid,
      hookId: hook.id,
      event: event.event,
      action: event.action,
      installationId: event.installationId,
      repositoryId: event.repositoryId,
      redelivery,
      deliveredAt,
      visibleAt: now() + this.#o.logDelayMs,
      duration: Math.round(result.durationMs) / 1000,
      status,
      statusCode,
      url,
      requestHeaders: headers,
      payload: event.payload,
      requestBody: bodyText,
      responseHeaders: result.kind === 'response' ? result.headers : null,
      responseBody: result.kind === 'response' ? result.bodyExcerpt : null,
      ...(result.kind === 'failure' ? { failureDetail: result.detail } : {}),
    }
    log.add(record)
  }

  /** Records a delivery without sending it (seeding a log for paging and retention tests). */
  record(entry: Omit<DeliveryRecord, 'id'>): DeliveryRecord {
    const record = { ...entry, id: this.#ids.take() }
    this.#o.log.add(record)
    return record
  }
}
