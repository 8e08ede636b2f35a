import { randomUUID } from 'node:crypto'
import { inspect } from 'node:util'
import {
  NotificationTestError,
  isNotificationTestError,
  type CallOptions,
  type NotificationTester,
} from '@notiprobe/core'
import {
  callOptionsShape,
  createDeadline,
  optionsObjectErrors,
  parseCallOptions,
  parseTicket,
  parseWith,
  withDeadline,
  type Deadline,
  type Operation,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import { GitHubApi, type Credential } from './api.js'
import { GITHUB_OPERATIONS, VENDOR } from './constants.js'
import { MAX_PAGE_SIZE, deliveryPages, type DeliveriesLocation } from './deliveries.js'
import { githubIdSchema, type GitHubId } from './github-id.js'
import {
  resolveGitHubOptions,
  type GitHubTesterOptions,
  type ResolvedGitHubOptions,
} from './options.js'
import { deliveryOutcome, pendingOutcome } from './outcome.js'
import { hookPaths, type HookPaths } from './paths.js'
import {
  githubTimeOf,
  hookDeliverySchema,
  type HookDelivery,
  type HookDeliveryItem,
} from './responses.js'
import {
  guidSchema,
  isTicketDelivery,
  ticketSchema,
  type GitHubTestKind,
  type GitHubTestOutcome,
  type GitHubTicket,
  type GitHubTicketDetails,
} from './ticket.js'

export interface GitHubSendOptions extends CallOptions {
  /**
   * `ping` (default) for repository and organization hooks; `push` asks a repository hook for
   * GitHub's push test, which GitHub answers with 204 but sends nothing for unless the hook is
   * subscribed to `push`. The App's hook has neither: its send redelivers its newest delivery.
   */
  readonly event?: 'ping' | 'push' | undefined
}

export interface GitHubCheckOptions extends CallOptions {
  /** The `X-GitHub-Delivery` notiprobe's own receiver saw: then only that delivery matches. */
  readonly guid?: string | undefined
}

export interface ListDeliveriesOptions extends CallOptions {
  /** `success`: status codes 200–399 (GitHub counts 3xx in); `failure`: 400–599. */
  readonly status?: 'success' | 'failure' | undefined
  /** Deliveries per page, 1–100 (100). */
  readonly perPage?: number | undefined
}

/** The GitHub tester: a ping (or push test, or App redelivery) confirmed in the deliveries log. */
export interface GitHubTester extends NotificationTester<GitHubSendOptions, GitHubTicket> {
  readonly vendor: 'github'
  readonly baseUrl: string
  readonly target: ResolvedGitHubOptions['target']
  readonly pollIntervalMs: number
  /** Asks GitHub to send a test delivery. Never repeated once it may have reached GitHub. */
  send(options?: GitHubSendOptions): Promise<GitHubTicket>
  /** Finds the send's delivery in the hook's log: `pending`, `delivered` (2xx) or `failed`. */
  check(ticket: GitHubTicket, options?: GitHubCheckOptions): Promise<GitHubTestOutcome>
  /** The hook's deliveries, newest first, every page; `timeoutMs` bounds the whole iteration. */
  listDeliveries(options?: ListDeliveriesOptions): AsyncGenerator<HookDeliveryItem, void, undefined>
  /** One delivery with the request GitHub sent and the response it got. */
  getDelivery(deliveryId: number | string | bigint, options?: CallOptions): Promise<HookDelivery>
  /** Asks GitHub to deliver it again (202): a new delivery with the same GUID, to check. */
  redeliver(deliveryId: number | string | bigint, options?: CallOptions): Promise<GitHubTicket>
  /** Closes idle keep-alive connections. */
  close(): void
}

/** A GitHub tester from options checked at once: a bad option throws a `config` error here. */
export function createGitHubTester(options: GitHubTesterOptions): GitHubTester {
  return new GitHubTesterImpl(resolveGitHubOptions(options))
}

/** GitHub stamps its answers and deliveries to the second; the window opens this much earlier. */
export const MATCH_SKEW_MS = 2_000
/** Where GitHub gave no `Date`, this machine's clock is used, with more room for drift. */
const LOCAL_CLOCK_SKEW_MS = 30_000
/** Pages a check reads before giving up on reaching the send's time: 5 000 deliveries. */
const MAX_CHECK_PAGES = 50

const sendOptionsSchema = z.optional(
  z.strictObject(
    {
      ...callOptionsShape,
      event: z.optional(z.enum(['ping', 'push'], { error: "must be 'ping' or 'push'" })),
    },
    { error: optionsObjectErrors(['signal', 'timeoutMs', 'event']) },
  ),
)

const checkOptionsSchema = z.optional(
  z.strictObject(
    { ...callOptionsShape, guid: z.optional(guidSchema) },
    { error: optionsObjectErrors(['signal', 'timeoutMs', 'guid']) },
  ),
)

const listOptionsSchema = z.optional(
  z.strictObject(
    {
      ...callOptionsShape,
      status: z.optional(
        z.enum(['success', 'failure'], { error: "must be 'success' or 'failure'" }),
      ),
      perPage: z.optional(
        z
          .number({ error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
          .check(
            z.int({ error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` }),
            z.gte(1, { error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` }),
            z.lte(MAX_PAGE_SIZE, { error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` }),
          ),
      ),
    },
    { error: optionsObjectErrors(['signal', 'timeoutMs', 'status', 'perPage']) },
  ),
)

const deliveryIdSchema = githubIdSchema("the delivery's id, from the deliveries log")

class GitHubTesterImpl implements GitHubTester {
  readonly vendor = 'github' as const
  readonly baseUrl: string
  readonly target: ResolvedGitHubOptions['target']
  readonly pollIntervalMs: number
  readonly #options: ResolvedGitHubOptions
  readonly #api: GitHubApi
  readonly #paths: HookPaths
  readonly #credential: Credential

  constructor(options: ResolvedGitHubOptions) {
    this.#options = options
    this.baseUrl = options.baseUrl
    this.target = options.target
    this.pollIntervalMs = options.pollIntervalMs
    this.#api = new GitHubApi(options)
    this.#paths = hookPaths(options.target)
    this.#credential = this.#paths.auth === 'app-jwt' ? 'app-jwt' : 'hook'
  }

  async send(options?: GitHubSendOptions): Promise<GitHubTicket> {
    const parsed = parseWith(sendOptionsSchema, options, {
      vendor: VENDOR,
      operation: GITHUB_OPERATIONS.ping.name,
      kind: 'invalid_input',
      subject: 'send() options',
    })
    const event = parsed?.event ?? 'ping'
    const { ping, pushTest } = this.#paths
    if (ping === undefined) {
      if (parsed?.event !== undefined) throw this.#noSuchTest(event, "the GitHub App's hook")
      return this.#redeliverNewest(parsed ?? {})
    }
    const path = event === 'push' ? pushTest : ping
    const operation = event === 'push' ? GITHUB_OPERATIONS.pushTest : GITHUB_OPERATIONS.ping
    if (path === undefined) throw this.#noSuchTest(event, 'an organization hook')
    return this.#call(operation, parsed ?? {}, (deadline) =>
      this.#post(operation, path, event, deadline),
    )
  }

  async check(ticket: GitHubTicket, options?: GitHubCheckOptions): Promise<GitHubTestOutcome> {
    const operation = GITHUB_OPERATIONS.check
    const call = parseWith(checkOptionsSchema, options, {
      vendor: VENDOR,
      operation: operation.name,
      kind: 'invalid_input',
      subject: 'check() options',
    })
    const parsed = parseTicket(ticketSchema, ticket, {
      vendor: VENDOR,
      operation: operation.name,
      subject: 'GitHub ticket',
    })
    const details: GitHubTicketDetails = {
      ...parsed.details,
      ...(call?.guid === undefined ? {} : { guid: call.guid }),
    }
    if (details.deliveries !== this.#paths.deliveries) {
      throw new NotificationTestError({
        vendor: VENDOR,
        operation: operation.name,
        kind: 'invalid_input',
        message: `${operation.label} failed: the ticket is for the hook whose deliveries are at ${details.deliveries}, not this tester's (${this.#paths.deliveries}). Check it with a tester for that hook.`,
      })
    }
    return this.#call(operation, call ?? {}, async (deadline) => {
      const found = await this.#findDelivery(details, deadline)
      const now = this.#options.clock.now()
      if (found === undefined) return pendingOutcome(ticket, now)
      if (found.status_code >= 200 && found.status_code < 300) {
        return deliveryOutcome(ticket, found, undefined, now)
      }
      return this.#failedOutcome(ticket, found, deadline, now)
    })
  }

  listDeliveries(
    options?: ListDeliveriesOptions,
  ): AsyncGenerator<HookDeliveryItem, void, undefined> {
    const operation = GITHUB_OPERATIONS.listDeliveries
    const parsed = parseWith(listOptionsSchema, options, {
      vendor: VENDOR,
      operation: operation.name,
      kind: 'invalid_input',
      subject: 'listDeliveries() options',
    })
    return this.#listDeliveries(parsed ?? {})
  }

  async getDelivery(
    deliveryId: number | string | bigint,
    options?: CallOptions,
  ): Promise<HookDelivery> {
    const operation = GITHUB_OPERATIONS.getDelivery
    const id = this.#deliveryId(deliveryId, operation)
    const call = parseCallOptions(options, VENDOR, operation, 'getDelivery')
    return this.#call(operation, call, (deadline) => this.#getDelivery(id, deadline))
  }

  async redeliver(
    deliveryId: number | string | bigint,
    options?: CallOptions,
  ): Promise<GitHubTicket> {
    const operation = GITHUB_OPERATIONS.redeliver
    const id = this.#deliveryId(deliveryId, operation)
    const call = parseCallOptions(options, VENDOR, operation, 'redeliver')
    return this.#call(operation, call, async (deadline) => {
      // Its GUID first (a read), so that check() can tell its redelivery from any other.
      const original = await this.#getDelivery(id, deadline)
      return this.#redeliver(original, deadline)
    })
  }

  close(): void {
    this.#api.close()
  }

  toJSON(): Record<string, unknown> {
    return {
      vendor: this.vendor,
      baseUrl: this.baseUrl,
      target: this.target,
      auth: this.#options.auth.type,
      apiVersion: this.#options.apiVersion,
    }
  }

  [inspect.custom](): string {
    return `GitHubTester ${inspect(this.toJSON())}`
  }

  async #post(
    operation: Operation,
    path: string,
    kind: GitHubTestKind,
    deadline: Deadline,
    extra: Partial<GitHubTicketDetails> = {},
  ): Promise<GitHubTicket> {
    const clock = this.#options.clock
    const before = clock.now()
    const response = await this.#api.request({
      operation,
      method: 'POST',
      path,
      callKind: 'send',
      credential: this.#credential,
      deadline,
    })
    // GitHub's own time of the answer: deliveries are stamped on its clock, not this machine's.
    const githubTime = githubTimeOf(response.headers.date)
    const since =
      githubTime === undefined ? before - LOCAL_CLOCK_SKEW_MS : githubTime - MATCH_SKEW_MS
    return {
      vendor: VENDOR,
      id: `github-${kind}-${randomUUID()}`,
      requestedAt: clock.now(),
      details: {
        kind,
        deliveries: this.#paths.deliveries,
        endpoint: `POST ${path}`,
        httpStatus: response.status,
        since,
        ...extra,
      },
    }
  }

  /** The App's hook has no ping: its newest delivery is redelivered instead, and says so. */
  async #redeliverNewest(call: CallOptions): Promise<GitHubTicket> {
    const operation = GITHUB_OPERATIONS.redeliver
    return this.#call(operation, call, async (deadline) => {
      const pages = deliveryPages(
        this.#location(GITHUB_OPERATIONS.listDeliveries),
        { perPage: 1 },
        () => deadline,
      )
      const first = await pages.next()
      await pages.return()
      const newest = first.done === true ? undefined : first.value[0]
      if (newest === undefined) {
        throw new NotificationTestError({
          vendor: VENDOR,
          operation: operation.name,
          kind: 'not_found',
          message: `${operation.label} failed: the GitHub App's hook has no delivery in its log to redeliver. GitHub has no ping for App hooks (it sends one when the App is registered) and keeps deliveries for 3 days; trigger an event for the App, then try again.`,
        })
      }
      return this.#redeliver(newest, deadline)
    })
  }

  async #redeliver(original: HookDeliveryItem, deadline: Deadline): Promise<GitHubTicket> {
    return this.#post(
      GITHUB_OPERATIONS.redeliver,
      this.#paths.redeliver(original.id),
      'redelivery',
      deadline,
      {
        guid: original.guid,
        redeliveryOf: original.id,
      },
    )
  }

  /**
   * Reads the log newest first until past the ticket's time; of the deliveries that match, the
   * oldest is the send's (a later one belongs to a later send).
   */
  async #findDelivery(
    details: GitHubTicketDetails,
    deadline: Deadline,
  ): Promise<HookDeliveryItem | undefined> {
    const operation = GITHUB_OPERATIONS.listDeliveries
    let found: HookDeliveryItem | undefined
    let pages = 0
    for await (const page of deliveryPages(
      this.#location(operation),
      { perPage: MAX_PAGE_SIZE },
      () => deadline,
    )) {
      let past = false
      for (const item of page) {
        if (Date.parse(item.delivered_at) < details.since) past = true
        else if (isTicketDelivery(item, details)) found = item
      }
      if (past) break
      if (++pages >= MAX_CHECK_PAGES) {
        throw new NotificationTestError({
          vendor: VENDOR,
          operation: GITHUB_OPERATIONS.check.name,
          kind: 'invalid_response',
          message: `${GITHUB_OPERATIONS.check.label} failed: the deliveries log went on for ${MAX_CHECK_PAGES} pages without reaching the time of the send; notiprobe stopped reading it.`,
        })
      }
    }
    return found
  }

  async *#listDeliveries(
    options: ListDeliveriesOptions,
  ): AsyncGenerator<HookDeliveryItem, void, undefined> {
    // One deadline for the whole iteration, made at the first page and disposed however it ends.
    let deadline: Deadline | undefined
    try {
      const pages = deliveryPages(
        this.#location(GITHUB_OPERATIONS.listDeliveries),
        { perPage: options.perPage ?? MAX_PAGE_SIZE, status: options.status },
        () => (deadline ??= createDeadline(options, this.#options.clock, this.#options.timeoutMs)),
      )
      // Item by item, not `yield* page`: delegating to an array costs a promise more per item.
      for await (const page of pages) for (const item of page) yield item
    } finally {
      deadline?.dispose()
    }
  }

  /**
   * A failed delivery's evidence is what the receiver answered: one more call. The list item
   * already proves the failure, so a detail that is gone (404: it left the log between the two
   * calls) costs only the evidence, not the outcome.
   */
  async #failedOutcome(
    ticket: GitHubTicket,
    found: HookDeliveryItem,
    deadline: Deadline,
    now: number,
  ): Promise<GitHubTestOutcome> {
    try {
      return deliveryOutcome(ticket, found, await this.#getDelivery(found.id, deadline), now)
    } catch (error) {
      if (!isNotificationTestError(error) || error.kind !== 'not_found') throw error
      const outcome = deliveryOutcome(ticket, found, undefined, now)
      return {
        ...outcome,
        warnings: [
          ...outcome.warnings,
          `GitHub listed delivery ${found.id} but answered 404 for its detail (it may have left the log), so the receiver's answer is not shown.`,
        ],
      }
    }
  }

  async #getDelivery(id: GitHubId, deadline: Deadline): Promise<HookDelivery> {
    const operation = GITHUB_OPERATIONS.getDelivery
    const response = await this.#api.request({
      operation,
      method: 'GET',
      path: this.#paths.delivery(id),
      callKind: 'read',
      credential: this.#credential,
      deadline,
    })
    return this.#api.parse(response, hookDeliverySchema, operation, `Delivery ${id}`)
  }

  #location(operation: Operation): DeliveriesLocation {
    return {
      api: this.#api,
      baseUrl: this.baseUrl,
      path: this.#paths.deliveries,
      credential: this.#credential,
      operation,
    }
  }

  #deliveryId(value: unknown, operation: Operation): GitHubId {
    return parseWith(deliveryIdSchema, value, {
      vendor: VENDOR,
      operation: operation.name,
      kind: 'invalid_input',
      subject: 'delivery id',
    })
  }

  #noSuchTest(event: string, where: string): NotificationTestError {
    return new NotificationTestError({
      vendor: VENDOR,
      operation: GITHUB_OPERATIONS.ping.name,
      kind: 'invalid_input',
      message: `Invalid send() options: event: GitHub has no ${event === 'push' ? 'push test' : event} for ${where}${where.startsWith('the GitHub App') ? ": send() redelivers the App hook's newest delivery; call it without event" : '; only repository hooks have the push test'}.`,
    })
  }

  #call<T>(
    operation: Operation,
    options: CallOptions,
    run: (deadline: Deadline) => Promise<T>,
  ): Promise<T> {
    return withDeadline(options, this.#options.clock, this.#options.timeoutMs, async (deadline) => {
      try {
        return await run(deadline)
      } catch (error) {
        if (isNotificationTestError(error)) throw error
        // Nothing raw leaves the package.
        throw new NotificationTestError({
          vendor: VENDOR,
          operation: operation.name,
          kind: 'invalid_response',
          message: `${operation.label} failed unexpectedly.`,
          cause: error,
        })
      }
    })
  }
}
