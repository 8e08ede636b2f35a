import type { ServerResponse } from 'node:http'
import { sendJson } from '../common/http-io.js'
import { DETAIL_CODES, type SailPointErrorWriter } from './error-response.js'
import {
  GLOBAL_VARIABLES,
  SAILPOINT_MEDIUMS,
  type TemplateCatalogue,
} from './template-catalogue.js'
import {
  CUSTOMIZED_FILTERS,
  DEFAULT_FILTERS,
  FilterSyntaxError,
  matchesFilters,
  parseFilters,
  type FilterCondition,
  type FilterRules,
} from './template-filters.js'

export const MAX_LIMIT = 250

/** `limit`, `offset`, `filters` and `count` as SailPoint's list endpoints read them. */
interface Paging {
  limit: number
  offset: number
  filters: FilterCondition[]
  count: boolean
}

function readPaging(
  url: URL,
  res: ServerResponse,
  errors: SailPointErrorWriter,
  rules: FilterRules,
): Paging | undefined {
  const limitText = url.searchParams.get('limit')
  const offsetText = url.searchParams.get('offset')
  const limit = limitText === null ? MAX_LIMIT : integer(limitText)
  if (limit === undefined || limit < 1 || limit > MAX_LIMIT) {
    errors.dto(
      res,
      400,
      `limit must be an integer from 1 to ${String(MAX_LIMIT)}, got "${limitText ?? ''}".`,
      {
        detailCode: DETAIL_CODES.illegalValue,
      },
    )
    return undefined
  }
  const offset = offsetText === null ? 0 : integer(offsetText)
  if (offset === undefined || offset < 0) {
    errors.dto(res, 400, `offset must be a non-negative integer, got "${offsetText ?? ''}".`, {
      detailCode: DETAIL_CODES.illegalValue,
    })
    return undefined
  }
  const filterText = url.searchParams.get('filters')
  let filters: FilterCondition[] = []
  if (filterText !== null && filterText.trim() !== '') {
    try {
      filters = parseFilters(filterText, rules)
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error
      errors.dto(res, 400, `Invalid filters "${filterText}": ${error.message}.`)
      return undefined
    }
  }
  return { limit, offset, filters, count: url.searchParams.get('count') === 'true' }
}

function integer(text: string): number | undefined {
  return /^-?\d{1,9}$/.test(text) ? Number(text) : undefined
}

function page(rows: readonly unknown[], paging: Paging, res: ServerResponse): void {
  const headers = paging.count ? { 'x-total-count': String(rows.length) } : undefined
  sendJson(res, 200, rows.slice(paging.offset, paging.offset + paging.limit), headers)
}

/**
 * `GET .../notification-templates`: only the templates this tenant has customised, as
 * `TemplateDto[]`; a tenant that customised nothing lists nothing.
 */
export function handleListTemplates(
  url: URL,
  res: ServerResponse,
  catalogue: TemplateCatalogue,
  errors: SailPointErrorWriter,
): void {
  const paging = readPaging(url, res, errors, CUSTOMIZED_FILTERS)
  if (!paging) return
  page(
    catalogue.customizedListings().filter((row) => matchesFilters(row, paging.filters)),
    paging,
    res,
  )
}

/** `GET .../notification-template-defaults`: the defaults every tenant has, as `TemplateDtoDefault[]`. */
export function handleTemplateDefaults(
  url: URL,
  res: ServerResponse,
  catalogue: TemplateCatalogue,
  errors: SailPointErrorWriter,
): void {
  const paging = readPaging(url, res, errors, DEFAULT_FILTERS)
  if (!paging) return
  page(
    catalogue.defaultListings().filter((row) => matchesFilters(row, paging.filters)),
    paging,
    res,
  )
}

/** `GET /notification-template-variables/v1/{key}/{medium}`: `TemplateVariablesDto`. */
export function handleTemplateVariables(
  params: { key: string; medium: string },
  res: ServerResponse,
  catalogue: TemplateCatalogue,
  errors: SailPointErrorWriter,
): void {
  const { key, medium } = params
  if (!(SAILPOINT_MEDIUMS as readonly string[]).includes(medium)) {
    errors.dto(
      res,
      400,
      `Illegal value "${medium}" for medium; expected one of ${SAILPOINT_MEDIUMS.join(', ')}.`,
      { detailCode: DETAIL_CODES.illegalValue },
    )
    return
  }
  const template = catalogue.get(key)
  if (template === undefined || !template.variants.some((v) => v.medium === medium)) {
    errors.dto(res, 404, `No notification template "${key}" exists for medium ${medium}.`)
    return
  }
  const describe = ({
    key: name,
    type,
    description,
    example,
  }: (typeof GLOBAL_VARIABLES)[number]) => ({
    key: name,
    type,
    description,
    example: example ?? null,
  })
  sendJson(res, 200, {
    key,
    medium,
    globalVariables: GLOBAL_VARIABLES.map(describe),
    templateVariables: [...template.variables]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map(describe),
  })
}
