import { NotificationTestError, isNotificationTestError } from '@notiprobe/core'
import {
  invalidFields,
  optionsObjectErrors,
  parseWith,
  type Operation,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import {
  PATHS,
  REQUIRED_SCOPES,
  SAILPOINT_OPERATIONS,
  VENDOR,
  type SailPointApiVersion,
  type SailPointMedium,
} from './constants.js'
import { localeSchema, mediumSchema, templateKeySchema } from './send.js'

/**
 * The tenant's notification templates: which keys and mediums exist, so a send can be checked
 * before it goes and a refused one can say what would have worked. SailPoint keeps two lists: the
 * templates the tenant customised (`/notification-templates`, often empty) and the defaults every
 * tenant has (`/notification-template-defaults`). A send works with either, so both are read,
 * customised first.
 */

/** Which of SailPoint's two lists a template came from. */
export type TemplateSource = 'customized' | 'default'

/** The lists in the order they are read: a customised template takes precedence when sending. */
export const TEMPLATE_SOURCES: readonly TemplateSource[] = ['customized', 'default']

const LIST_NAMES: Readonly<Record<TemplateSource, string>> = {
  customized: 'customised templates',
  default: 'default templates',
}

const SCOPE_KEYS = { customized: 'templates', default: 'templateDefaults' } as const
const PATH_KEYS = { customized: 'templates', default: 'templateDefaults' } as const

/** The path of one list. */
export function templateListPath(source: TemplateSource, apiVersion: SailPointApiVersion): string {
  return PATHS[apiVersion][PATH_KEYS[source]]
}

/** One notification template as SailPoint lists it (one key, medium and locale). */
export interface NotificationTemplate {
  /** `customized`: the tenant modified it (SailPoint sends this version); `default`: as shipped. */
  readonly source: TemplateSource
  readonly key: string
  /** `EMAIL`, `SLACK`, `TEAMS`, or a medium SailPoint adds later, kept as sent. */
  readonly medium: string
  readonly locale: string | undefined
  readonly name: string | undefined
  readonly description: string | undefined
  readonly subject: string | undefined
  readonly id: string | undefined
  readonly created: string | undefined
  readonly modified: string | undefined
}

/** Which templates to list; every filter is optional and they combine with "and". */
export interface TemplateFilters {
  /** One key, or any of several (at most 50). */
  readonly key?: string | readonly string[] | undefined
  readonly medium?: SailPointMedium | undefined
  readonly locale?: string | undefined
}

/** What a successful pre-flight found. */
export interface TemplateCheck {
  readonly key: string
  readonly medium: SailPointMedium
  /** The list the key and medium were found in; the customised list is looked at first. */
  readonly source: TemplateSource
  /** The locales the template exists in, in that list. */
  readonly locales: readonly string[]
  readonly templates: readonly NotificationTemplate[]
}

/** SailPoint's largest page. */
export const TEMPLATE_PAGE_SIZE = 250
/** 100 000 templates: far beyond any tenant; beyond it the server is ignoring `offset`. */
const MAX_PAGES = 400

const filtersSchema = z.optional(
  z.strictObject(
    {
      key: z.optional(
        z.union([
          templateKeySchema,
          z
            .array(templateKeySchema)
            .check(
              z.minLength(1, 'must list at least one key'),
              z.maxLength(50, 'must list at most 50 keys'),
            ),
        ]),
      ),
      medium: z.optional(mediumSchema),
      locale: z.optional(localeSchema),
    },
    {
      error: optionsObjectErrors(['key', 'medium', 'locale'], 'filter'),
    },
  ),
)

/** A checked filter set: SailPoint's `filters` expression and the same test done locally. */
export interface TemplateQuery {
  readonly filters: string | undefined
  readonly matches: (template: NotificationTemplate) => boolean
}

/** Checks the filters and builds SailPoint's `filters` query: `key in ("a","b") and medium eq "EMAIL"`. */
export function parseTemplateFilters(input: unknown): TemplateQuery {
  const parsed = z.safeParse(filtersSchema, input)
  if (!parsed.success) {
    throw invalidFields(
      {
        vendor: VENDOR,
        operation: SAILPOINT_OPERATIONS.listTemplates.name,
        kind: 'invalid_input',
        subject: 'SailPoint template filters',
      },
      parsed.error.issues,
    )
  }
  const filters = parsed.data ?? {}
  const keys =
    filters.key === undefined
      ? undefined
      : typeof filters.key === 'string'
        ? [filters.key]
        : filters.key
  const clauses: string[] = []
  // Keys, mediums and locales are checked against patterns without quotes or backslashes, so
  // quoting them cannot change the expression.
  if (keys !== undefined) {
    clauses.push(
      keys.length === 1
        ? `key eq "${keys[0] ?? ''}"`
        : `key in (${keys.map((k) => `"${k}"`).join(',')})`,
    )
  }
  if (filters.medium !== undefined) clauses.push(`medium eq "${filters.medium}"`)
  if (filters.locale !== undefined) clauses.push(`locale eq "${filters.locale}"`)
  return {
    filters: clauses.length === 0 ? undefined : clauses.join(' and '),
    // The server filters already; filtering again keeps the result right if it ever does not.
    matches: (template) =>
      (keys === undefined || keys.includes(template.key)) &&
      (filters.medium === undefined || template.medium === filters.medium) &&
      (filters.locale === undefined ||
        template.locale?.toLowerCase() === filters.locale.toLowerCase()),
  }
}

const optionalText = z.catch(z.nullish(z.string()), undefined)

const templateSchema = z.looseObject({
  key: z.string().check(z.minLength(1)),
  medium: z.string().check(z.minLength(1)),
  locale: optionalText,
  name: optionalText,
  description: optionalText,
  subject: optionalText,
  id: optionalText,
  created: optionalText,
  modified: optionalText,
})

const pageSchema = z.array(templateSchema)

/**
 * One page of `GET .../notification-templates` (`TemplateDto`) or
 * `GET .../notification-template-defaults` (`TemplateDtoDefault`: no id, created or modified),
 * checked.
 */
export function parseTemplatePage(json: unknown, source: TemplateSource): NotificationTemplate[] {
  const page = parseWith(pageSchema, json, {
    vendor: VENDOR,
    operation: SAILPOINT_OPERATIONS.listTemplates.name,
    kind: 'invalid_response',
    subject: `list of ${LIST_NAMES[source]} from SailPoint (expected an array of templates with key and medium)`,
  })
  return page.map((t) => ({
    source,
    key: t.key,
    medium: t.medium,
    locale: t.locale ?? undefined,
    name: t.name ?? undefined,
    description: t.description ?? undefined,
    subject: t.subject ?? undefined,
    id: t.id ?? undefined,
    created: t.created ?? undefined,
    modified: t.modified ?? undefined,
  }))
}

/** Fetches one page: `limit` items from `offset`, as parsed templates. */
export type TemplatePageFetcher = (offset: number, limit: number) => Promise<NotificationTemplate[]>

/**
 * Every template, page after page (`limit` 250, `offset` stepping), until a page comes back short.
 * A server that ignores `offset` would loop forever: a page identical to the one before, or more
 * than 400 pages, ends the iteration with an `invalid_response` error.
 */
export async function* paginateTemplates(
  fetchPage: TemplatePageFetcher,
  matches: (template: NotificationTemplate) => boolean,
): AsyncGenerator<NotificationTemplate, void, undefined> {
  let previous: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const items = await fetchPage(page * TEMPLATE_PAGE_SIZE, TEMPLATE_PAGE_SIZE)
    const signature = items.length === 0 ? undefined : JSON.stringify(items)
    if (signature !== undefined && signature === previous) {
      throw pagingError(`page ${page + 1} repeated page ${page}: SailPoint ignored the offset`)
    }
    previous = signature
    for (const template of items) if (matches(template)) yield template
    if (items.length < TEMPLATE_PAGE_SIZE) return
  }
  throw pagingError(`more than ${MAX_PAGES} full pages`)
}

function pagingError(why: string): NotificationTestError {
  return new NotificationTestError({
    vendor: VENDOR,
    operation: SAILPOINT_OPERATIONS.listTemplates.name,
    kind: 'invalid_response',
    message: `Listing SailPoint notification templates stopped: ${why}.`,
  })
}

/**
 * The pre-flight verdict: the key and medium exist (the templates found), or an `invalid_input`
 * error naming them and saying what exists instead: the key's other mediums, or the nearest keys.
 */
export function templateMissingError(
  key: string,
  medium: SailPointMedium,
  all: readonly NotificationTemplate[],
  operation: string = SAILPOINT_OPERATIONS.checkTemplate.name,
): NotificationTestError {
  const mediums = [...new Set(all.filter((t) => t.key === key).map((t) => t.medium))].sort()
  let message: string
  if (mediums.length > 0) {
    message = `SailPoint has no ${medium} version of the notification template '${key}' in this tenant; it exists for ${mediums.join(', ')}.`
  } else {
    const keys = [...new Set(all.map((t) => t.key))]
    const nearest = nearestKeys(key, keys, 10)
    message =
      keys.length === 0
        ? `SailPoint has no notification template '${key}': the tenant lists no templates at all, customised or default (check that the credentials belong to the right tenant).`
        : `SailPoint has no notification template '${key}' in this tenant. Nearest of the ${keys.length} keys that exist: ${nearest.join(', ')}. listTemplates() lists them all.`
  }
  return new NotificationTestError({ vendor: VENDOR, operation, kind: 'invalid_input', message })
}

/** The `count` keys closest to `key` by edit distance, closest first. */
export function nearestKeys(key: string, keys: readonly string[], count: number): string[] {
  return keys
    .map((candidate) => ({ candidate, distance: editDistance(key, candidate) }))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map((entry) => entry.candidate)
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution)
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/**
 * A 403 on one of the lists: the token lacks that list's read scope. Says which scope, instead of
 * letting a list that could not be read pass for a template that does not exist.
 */
export function templateListError(
  error: unknown,
  source: TemplateSource,
  apiVersion: SailPointApiVersion,
  operation: Operation,
): unknown {
  if (!isNotificationTestError(error) || error.httpStatus !== 403) return error
  const scope = REQUIRED_SCOPES[SCOPE_KEYS[source]][apiVersion]
  const other = TEMPLATE_SOURCES.find((s) => s !== source) ?? 'customized'
  const code = error.vendorCode === undefined ? '' : ` (${String(error.vendorCode)})`
  const said = error.vendorMessage === undefined ? '' : ` ${error.vendorMessage}`
  const tracking = error.requestId === undefined ? '' : ` Tracking id: ${error.requestId}.`
  const nothingSent =
    operation === SAILPOINT_OPERATIONS.sendTestNotification
      ? ' Nothing was sent (preflight: false sends without this check).'
      : ''
  return new NotificationTestError({
    vendor: VENDOR,
    operation: operation.name,
    kind: 'forbidden',
    message:
      `${operation.label} failed: SailPoint answered HTTP 403${code} to GET ${templateListPath(source, apiVersion)}, the ${LIST_NAMES[source]}:${said} ` +
      `The token lacks scope ${scope}: grant it to the personal access token or OAuth client ` +
      `(notiprobe reads both lists; the ${LIST_NAMES[other]} need ${REQUIRED_SCOPES[SCOPE_KEYS[other]][apiVersion]}).${nothingSent}${tracking}`,
    httpStatus: 403,
    vendorCode: error.vendorCode,
    vendorMessage: error.vendorMessage,
    requestId: error.requestId,
    retryable: false,
    cause: error,
  })
}
