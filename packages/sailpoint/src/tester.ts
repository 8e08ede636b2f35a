import { randomUUID } from 'node:crypto'
import { inspect } from 'node:util'
import {
  NotificationTestError,
  isNotificationTestError,
  type CallOptions,
  type NotificationTester,
  type TestOutcome,
  type TestTicket,
} from '@notiprobe/core'
import {
  Transport,
  invalidFields,
  parseCallOptions,
  parseTicket,
  redactingLogger,
  showGiven,
  withDeadline,
  withMessage,
  type Deadline,
  type Logger,
  type Operation,
  type RequestSpec,
  type VendorResponse,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import {
  API_VERSIONS,
  MEDIUMS,
  PATHS,
  SAILPOINT_OPERATIONS,
  VENDOR,
  type SailPointApiVersion,
  type SailPointMedium,
} from './constants.js'
import { deprecationWarning } from './deprecation.js'
import { mapSailPointError } from './errors.js'
import { rateLimitSpec, sharedRateLimiter } from './rate-budget.js'
import {
  resolveOptions,
  type ResolvedSailPointOptions,
  type SailPointTesterOptions,
} from './options.js'
import {
  buildSendBody,
  mediumSchema,
  parseSendOptions,
  templateKeySchema,
  type SailPointSendOptions,
} from './send.js'
import {
  TEMPLATE_SOURCES,
  paginateTemplates,
  parseTemplateFilters,
  parseTemplatePage,
  templateListError,
  templateListPath,
  templateMissingError,
  type NotificationTemplate,
  type TemplateCheck,
  type TemplateFilters,
  type TemplateQuery,
  type TemplateSource,
} from './templates.js'
import {
  parseTemplateVariables,
  templateVariablesError,
  templateVariablesPath,
  type TemplateVariables,
} from './template-variables.js'
import { SailPointTokenProvider } from './token-provider.js'

/** What SailPoint took: the request as sent and what its answer said. */
export type SailPointTicketDetails = {
  readonly key: string
  readonly medium: SailPointMedium
  readonly apiVersion: SailPointApiVersion
  readonly locale?: string | undefined
  /** How many addresses were named in `recipientEmailList`, `carbonCopy` and `blindCarbonCopy`. */
  readonly recipientCount?: number | undefined
  /** `POST /beta/send-test-notification` */
  readonly endpoint: string
  /** 204 as documented. */
  readonly httpStatus: number
  readonly deprecated: boolean
  /** Whether the key and medium were confirmed to exist first. */
  readonly preflight: boolean
  readonly warnings: readonly string[]
}

/** A SailPoint test notification request that SailPoint accepted. */
export interface SailPointTicket extends TestTicket {
  readonly vendor: 'sailpoint'
  /** A local id: SailPoint gives none. */
  readonly id: string
  readonly details: SailPointTicketDetails
}

/** The SailPoint tester: the NotificationTester contract plus template discovery. */
export interface SailPointTester extends NotificationTester<SailPointSendOptions, SailPointTicket> {
  readonly vendor: 'sailpoint'
  readonly apiVersion: SailPointApiVersion
  readonly baseUrl: string
  readonly tokenUrl: string
  /**
   * Asks SailPoint to send a test notification. The input is checked before any request; with
   * `preflight`, the key and medium are first confirmed to exist. Sent once: repeated only when
   * SailPoint answered 429 or the request never left, or after a 401 with a fresh token. The
   * options are optional only in type, as in the NotificationTester contract: `key` and `medium`
   * are required, and a call without them is an `invalid_input` error.
   */
  send(options?: SailPointSendOptions): Promise<SailPointTicket>
  /** Always `accepted`: SailPoint keeps no delivery status or history to ask. Makes no request. */
  check(ticket: SailPointTicket, options?: CallOptions): Promise<TestOutcome>
  /**
   * Every matching template of both SailPoint lists, the customised ones first, then the defaults
   * (`source` says which); all pages read; `timeoutMs` bounds the whole listing. A 403 on either
   * list is a `forbidden` error naming the read scope it needs.
   */
  listTemplates(filters?: TemplateFilters, options?: CallOptions): Promise<NotificationTemplate[]>
  /** The same, one template at a time, a page fetched as needed; `timeoutMs` bounds each page. */
  iterateTemplates(
    filters?: TemplateFilters,
    options?: CallOptions,
  ): AsyncGenerator<NotificationTemplate, void, undefined>
  /**
   * Confirms that the tenant has a template for `key` and `medium`, among its customised templates
   * first, then among the defaults; otherwise an `invalid_input` error naming them and saying what
   * exists. A list the token may not read is a `forbidden` error naming the missing scope.
   */
  checkTemplate(key: string, medium: SailPointMedium, options?: CallOptions): Promise<TemplateCheck>
  /**
   * The variables the template `key` fills in for `medium`: its own (what a send's `context`
   * provides) and SailPoint's global ones. Read on v1, the only version that has the endpoint. A
   * template that does not exist in that medium is a `not_found` error; a token without the read
   * scope a `forbidden` one naming it.
   */
  getTemplateVariables(
    key: string,
    medium: SailPointMedium,
    options?: CallOptions,
  ): Promise<TemplateVariables>
  /** Closes idle keep-alive connections. The tester may still be used afterwards. */
  close(): void
}

/** A SailPoint tester from options checked at once: a bad option throws a `config` error here. */
export function createSailPointTester(options: SailPointTesterOptions): SailPointTester {
  return new SailPointTesterImpl(resolveOptions(options))
}

/** What an API request of the tester sets; the token, deadline and rate limit are added to it. */
type ApiRequest = Pick<
  RequestSpec,
  'operation' | 'method' | 'path' | 'query' | 'json' | 'callKind' | 'bodyRead'
>

/** A public call's one deadline, with its operation (named in timeout messages). */
interface CallDeadline {
  readonly operation: Operation
  readonly deadline: Deadline
}

const ticketSchema = z.looseObject({
  vendor: z.literal(VENDOR, {
    error: (issue) =>
      `must be 'sailpoint' (got ${showGiven(issue.input)}): check this ticket with its own vendor's tester`,
  }),
  id: z
    .string({ error: 'must be the ticket id send() returned' })
    .check(z.minLength(1, 'must not be empty')),
  requestedAt: z
    .number({ error: 'must be epoch milliseconds' })
    .check(
      z.refine(
        (ms) => Number.isSafeInteger(ms) && ms >= 0 && ms <= 8.64e15,
        'must be epoch milliseconds',
      ),
    ),
  details: z.looseObject(
    {
      key: z.string({ error: 'must be a string' }),
      medium: z.enum(MEDIUMS, { error: `must be one of ${MEDIUMS.join(', ')}` }),
      apiVersion: z.enum(API_VERSIONS, { error: `must be one of ${API_VERSIONS.join(', ')}` }),
      endpoint: z.optional(z.string()),
      httpStatus: z.optional(z.number()),
      deprecated: z.optional(z.boolean()),
      warnings: z.optional(z.array(z.string())),
    },
    { error: 'must be the details send() returned' },
  ),
})

const WHERE_TO_LOOK: Readonly<Record<SailPointMedium, string>> = {
  EMAIL: 'in the recipients’ mailboxes',
  SLACK: 'in the Slack channel or direct messages the tenant posts to',
  TEAMS: 'in the Microsoft Teams channel the tenant posts to',
}

class SailPointTesterImpl implements SailPointTester {
  readonly vendor = 'sailpoint' as const
  readonly apiVersion: SailPointApiVersion
  readonly baseUrl: string
  readonly tokenUrl: string
  readonly #options: ResolvedSailPointOptions
  readonly #transport: Transport
  readonly #tokens: SailPointTokenProvider
  readonly #logger: Logger | undefined
  /** The client's budget, shared by its testers; undefined with `rateLimits: 'off'`. */
  readonly #rateLimit: RequestSpec['rateLimit']

  constructor(options: ResolvedSailPointOptions) {
    this.apiVersion = options.apiVersion
    this.baseUrl = options.baseUrl
    this.tokenUrl = options.tokenUrl
    this.#options = options
    this.#rateLimit = rateLimitSpec(options.rateLimit, options.baseUrl, options.clientId)
    this.#logger = options.logger === undefined ? undefined : redactingLogger(options.logger)
    this.#transport = new Transport({
      vendor: VENDOR,
      baseUrl: options.baseUrl,
      retry: options.retry,
      clock: options.clock,
      random: options.random,
      logger: options.logger,
      rateLimiter: sharedRateLimiter(options.clock),
      proxy: options.proxy,
      ca: options.ca,
      onEvent: options.onEvent,
      mapError: (response, operation) =>
        mapSailPointError(response, {
          operation,
          endpoint: 'api',
          apiVersion: options.apiVersion,
          url: options.baseUrl,
        }),
    })
    this.#tokens = new SailPointTokenProvider({
      tokenUrl: options.tokenUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      apiVersion: options.apiVersion,
      timeoutMs: options.timeoutMs,
      retry: options.retry,
      clock: options.clock,
      random: options.random,
      logger: options.logger,
      proxy: options.proxy,
      ca: options.ca,
      onEvent: options.onEvent,
    })
  }

  async send(input?: SailPointSendOptions): Promise<SailPointTicket> {
    const request = parseSendOptions(input)
    const operation = SAILPOINT_OPERATIONS.sendTestNotification
    return this.#withDeadline(operation, request.call, async (call) => {
      if (request.preflight) await this.#checkTemplate(request.key, request.medium, call)
      const path = PATHS[this.apiVersion].sendTest
      const endpoint = `POST ${path}`
      const response = await this.#authorized(
        {
          operation,
          method: 'POST',
          path,
          json: buildSendBody(request),
          callKind: 'send',
        },
        call,
      )
      const warnings: string[] = []
      const deprecated = deprecationWarning(response, endpoint, this.apiVersion)
      if (deprecated !== undefined) warnings.push(deprecated)
      if (response.status !== 204) {
        warnings.push(
          `SailPoint answered HTTP ${response.status} where it documents 204 No Content; notiprobe took it as accepted.`,
        )
      }
      for (const warning of warnings) this.#logger?.debug(`warning: ${warning}`)
      const recipients =
        (request.recipientEmailList?.length ?? 0) +
        (request.carbonCopy?.length ?? 0) +
        (request.blindCarbonCopy?.length ?? 0)
      const details: SailPointTicketDetails = {
        key: request.key,
        medium: request.medium,
        apiVersion: this.apiVersion,
        ...(request.locale === undefined ? {} : { locale: request.locale }),
        ...(recipients === 0 ? {} : { recipientCount: recipients }),
        endpoint,
        httpStatus: response.status,
        deprecated: deprecated !== undefined,
        preflight: request.preflight,
        warnings,
      }
      return {
        vendor: VENDOR,
        id: `sailpoint-${randomUUID()}`,
        requestedAt: this.#options.clock.now(),
        details,
      }
    })
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async so that every refusal is a rejection
  async check(ticket: SailPointTicket, options?: CallOptions): Promise<TestOutcome> {
    const operation = SAILPOINT_OPERATIONS.check
    const call = parseCallOptions(options, VENDOR, operation, 'check')
    const parsed = parseTicket(ticketSchema, ticket, {
      vendor: VENDOR,
      operation: operation.name,
      subject: 'SailPoint ticket',
    })
    if (call.signal?.aborted === true) {
      throw new NotificationTestError({
        vendor: VENDOR,
        operation: operation.name,
        kind: 'aborted',
        message: `${operation.label} was aborted by the caller.`,
      })
    }
    const { details } = parsed
    const warnings = details.warnings ?? []
    const status = details.httpStatus ?? 204
    const endpoint = details.endpoint ?? `POST ${PATHS[details.apiVersion].sendTest}`
    const summary =
      `SailPoint accepted the test notification '${details.key}' (${details.medium}) at ` +
      `${new Date(parsed.requestedAt).toISOString()} (HTTP ${status} from ${endpoint}). ` +
      `SailPoint offers no delivery status or history, so notiprobe cannot confirm that it arrived: ` +
      `look for it ${WHERE_TO_LOOK[details.medium]}.`
    return {
      vendor: VENDOR,
      ticket,
      state: 'accepted',
      summary,
      attempts: [],
      warnings,
      raw: { httpStatus: status, endpoint, deprecated: details.deprecated ?? false },
      checkedAt: this.#options.clock.now(),
    }
  }

  async listTemplates(
    filters?: TemplateFilters,
    options?: CallOptions,
  ): Promise<NotificationTemplate[]> {
    const query = parseTemplateFilters(filters)
    const operation = SAILPOINT_OPERATIONS.listTemplates
    const call = parseCallOptions(options, VENDOR, operation, 'listTemplates')
    return this.#withDeadline(operation, call, (deadline) =>
      collect(this.#templates(query, (fetch) => fetch(deadline), operation)),
    )
  }

  iterateTemplates(
    filters?: TemplateFilters,
    options?: CallOptions,
  ): AsyncGenerator<NotificationTemplate, void, undefined> {
    // Checked now, not at the first `next()`, so bad input fails where it is given.
    const query = parseTemplateFilters(filters)
    const operation = SAILPOINT_OPERATIONS.listTemplates
    const call = parseCallOptions(options, VENDOR, operation, 'iterateTemplates')
    return this.#templates(query, (fetch) => this.#withDeadline(operation, call, fetch), operation)
  }

  async checkTemplate(
    key: string,
    medium: SailPointMedium,
    options?: CallOptions,
  ): Promise<TemplateCheck> {
    const operation = SAILPOINT_OPERATIONS.checkTemplate
    checkKeyAndMedium(key, medium, operation, 'SailPoint template check')
    const call = parseCallOptions(options, VENDOR, operation, 'checkTemplate')
    return this.#withDeadline(operation, call, (deadline) =>
      this.#checkTemplate(key, medium, deadline),
    )
  }

  async getTemplateVariables(
    key: string,
    medium: SailPointMedium,
    options?: CallOptions,
  ): Promise<TemplateVariables> {
    const operation = SAILPOINT_OPERATIONS.templateVariables
    checkKeyAndMedium(key, medium, operation, 'SailPoint template variables request')
    const call = parseCallOptions(options, VENDOR, operation, 'getTemplateVariables')
    return this.#withDeadline(operation, call, async (deadline) => {
      let response: VendorResponse
      try {
        response = await this.#authorized(
          { operation, method: 'GET', path: templateVariablesPath(key, medium), callKind: 'read' },
          deadline,
        )
      } catch (error) {
        throw templateVariablesError(error, key, medium, this.apiVersion)
      }
      return parseTemplateVariables(response.json, key, medium)
    })
  }

  close(): void {
    this.#transport.close()
    this.#tokens.close()
  }

  toJSON(): Record<string, string> {
    return {
      vendor: this.vendor,
      apiVersion: this.apiVersion,
      baseUrl: this.baseUrl,
      tokenUrl: this.tokenUrl,
    }
  }

  [inspect.custom](): string {
    return `SailPointTester ${inspect(this.toJSON())}`
  }

  /** Finds the key and medium in the customised templates, then the defaults, or says what exists. */
  async #checkTemplate(
    key: string,
    medium: SailPointMedium,
    call: CallDeadline,
  ): Promise<TemplateCheck> {
    const run = <T>(fetch: (deadline: CallDeadline) => Promise<T>): Promise<T> => fetch(call)
    const query = parseTemplateFilters({ key, medium })
    for (const source of TEMPLATE_SOURCES) {
      const found = await collect(this.#templates(query, run, call.operation, [source]))
      if (found.length === 0) continue
      const locales = [
        ...new Set(found.flatMap((t) => (t.locale === undefined ? [] : [t.locale]))),
      ].sort()
      return { key, medium, source, locales, templates: found }
    }
    const all = await collect(this.#templates(parseTemplateFilters(undefined), run, call.operation))
    const error = templateMissingError(key, medium, all, call.operation.name)
    throw call.operation === SAILPOINT_OPERATIONS.sendTestNotification
      ? withMessage(error, `${error.message} Nothing was sent.`)
      : error
  }

  /**
   * Every template matching `query` in `sources` (both lists, customised first, by default); `run`
   * gives each page request its deadline.
   */
  async *#templates(
    query: TemplateQuery,
    run: <T>(fetch: (deadline: CallDeadline) => Promise<T>) => Promise<T>,
    operation: Operation,
    sources: readonly TemplateSource[] = TEMPLATE_SOURCES,
  ): AsyncGenerator<NotificationTemplate, void, undefined> {
    for (const source of sources) {
      const path = templateListPath(source, this.apiVersion)
      yield* paginateTemplates(
        (offset, limit) =>
          run(async (deadline) => {
            let response: VendorResponse
            try {
              response = await this.#authorized(
                {
                  operation: SAILPOINT_OPERATIONS.listTemplates,
                  method: 'GET',
                  path,
                  query: { limit, offset, filters: query.filters },
                  callKind: 'read',
                  bodyRead: 'stream',
                },
                deadline,
              )
            } catch (error) {
              throw templateListError(error, source, this.apiVersion, operation)
            }
            const warning = deprecationWarning(response, `GET ${path}`, this.apiVersion)
            if (warning !== undefined) this.#logger?.debug(`warning: ${warning}`)
            return parseTemplatePage(response.json, source)
          }),
        query.matches,
      )
    }
  }

  /**
   * An API request with a bearer token, within the call's one deadline: the token first (a cached
   * one, or the shared fetch, waited for no longer than the deadline), then the request. A 401
   * drops that token and repeats the request once with a new one (safe even for a send: SailPoint
   * refused it before doing anything); a second 401 is the credentials' fault and says so.
   */
  async #authorized(spec: ApiRequest, call: CallDeadline): Promise<VendorResponse> {
    for (let attempt = 1; ; attempt++) {
      // The cached token needs no wait (nearly every call): no promise is made for it.
      const token = this.#tokens.current() ?? (await this.#token(call))
      try {
        // Field by field, not `{ ...spec, deadline }`: V8 makes a new hidden class for every object
        // that a spread starts and more fields follow, which cost about 2 % of a send's CPU.
        return await this.#transport.request({
          operation: spec.operation,
          method: spec.method,
          path: spec.path,
          query: spec.query,
          json: spec.json,
          callKind: spec.callKind,
          bodyRead: spec.bodyRead,
          deadline: call.deadline,
          rateLimit: this.#rateLimit,
          headers: () => ({ authorization: `Bearer ${token}` }),
        })
      } catch (error) {
        if (!isNotificationTestError(error) || error.httpStatus !== 401) throw error
        this.#tokens.invalidate(token)
        if (attempt === 1) {
          this.#logger?.debug(
            `${spec.operation.name}: SailPoint refused the access token; retrying once with a new one`,
          )
          continue
        }
        throw withMessage(
          error,
          `${error.message} notiprobe fetched a new access token and SailPoint refused that one too.`,
        )
      }
    }
  }

  /** The access token, waited for no longer than the call's deadline. */
  async #token(call: CallDeadline): Promise<string> {
    const { deadline, operation } = call
    try {
      return await this.#tokens.getToken(deadline)
    } catch (error) {
      if (isNotificationTestError(error) || !deadline.aborted) throw error
      const nothingSent =
        operation === SAILPOINT_OPERATIONS.sendTestNotification ? ' Nothing was sent.' : ''
      throw deadline.timedOut()
        ? new NotificationTestError({
            vendor: VENDOR,
            operation: operation.name,
            kind: 'timeout',
            message: `${operation.label} did not finish within ${deadline.timeoutMs ?? 0} ms: no access token came from ${new URL(this.tokenUrl).host} in time.${nothingSent} Raise timeoutMs or try again later.`,
            retryable: true,
          })
        : new NotificationTestError({
            vendor: VENDOR,
            operation: operation.name,
            kind: 'aborted',
            message: `${operation.label} was aborted by the caller while waiting for an access token.${nothingSent}`,
          })
    }
  }

  #withDeadline<T>(
    operation: Operation,
    options: CallOptions,
    run: (call: CallDeadline) => Promise<T>,
  ): Promise<T> {
    return withDeadline(options, this.#options.clock, this.#options.timeoutMs, (deadline) =>
      run({ operation, deadline }),
    )
  }
}

/** A key and medium given to a read: checked before any request, naming the field. */
function checkKeyAndMedium(
  key: unknown,
  medium: unknown,
  operation: Operation,
  subject: string,
): void {
  const issues = [
    ...(z.safeParse(templateKeySchema, key).error?.issues.map((i) => ({ ...i, path: ['key'] })) ??
      []),
    ...(z.safeParse(mediumSchema, medium).error?.issues.map((i) => ({ ...i, path: ['medium'] })) ??
      []),
  ]
  if (issues.length > 0) {
    throw invalidFields(
      { vendor: VENDOR, operation: operation.name, kind: 'invalid_input', subject },
      issues,
    )
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}
