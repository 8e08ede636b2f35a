import { z } from '@notiprobe/core/zod'
import { toGitHubId, type GitHubId } from './github-id.js'

/**
 * GitHub's answers, as its OpenAPI description gives them (`hook-delivery-item`, `hook-delivery`,
 * `installation-token`, `basic-error`, `validation-error`). Parse bodies with `parseExactJson`
 * first: ids above 2^53 then arrive as decimal strings and stay exact. Field names stay GitHub's,
 * so what a user sees as evidence matches GitHub's documentation.
 */

/** An int64 id: a safe JSON number, or the exact string `parseExactJson` made of a larger one. */
const id = z.union([z.number(), z.string()]).transform((value, ctx): GitHubId => {
  const parsed = toGitHubId(value)
  if (parsed !== undefined) return parsed
  ctx.addIssue({ code: 'custom', message: 'expected a positive 64-bit integer id' })
  return z.NEVER
})

/** ISO 8601 UTC date-time as GitHub writes it; kept as text, range-checked. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/
const EARLIEST = Date.UTC(2008, 0, 1) // GitHub did not exist before.
const LATEST = Date.UTC(2200, 0, 1)
const dateTime = z.string().refine(
  (value) => {
    if (!ISO_DATE_TIME.test(value)) return false
    const time = Date.parse(value)
    return time >= EARLIEST && time < LATEST
  },
  { error: 'expected an ISO 8601 date-time between 2008 and 2200' },
)

/**
 * GitHub's own time from an answer's `Date` header, in epoch milliseconds; undefined when absent or
 * not a time GitHub could stamp (a broken proxy, a hostile server), so the caller uses its own clock.
 */
export function githubTimeOf(dateHeader: string | undefined): number | undefined {
  const time = Date.parse(dateHeader?.slice(0, 100) ?? '')
  return time >= EARLIEST && time < LATEST ? time : undefined
}

const text = (max: number) => z.string().max(max, { error: `expected at most ${max} characters` })

/** 0 is what connection-level failures show ("Invalid HTTP Response: 0"). */
const statusCode = z.number().int().min(0).max(999)

const headers = z.record(z.string(), z.unknown()).nullable()

const deliveryFields = {
  id,
  guid: text(100),
  delivered_at: dateTime,
  redelivery: z.boolean(),
  /** Time spent delivering; seconds by every example (the unit is not documented). */
  duration: z.number().min(0).max(86_400),
  status: text(1000),
  status_code: statusCode,
  event: text(100),
  action: text(100).nullable(),
  installation_id: id.nullable(),
  repository_id: id.nullable(),
  throttled_at: dateTime.nullable().optional(),
}

export const hookDeliveryItemSchema = z.looseObject(deliveryFields)
export type HookDeliveryItem = z.output<typeof hookDeliveryItemSchema>

export const hookDeliveryListSchema = z.array(hookDeliveryItemSchema).max(1000)

export const hookDeliverySchema = z.looseObject({
  ...deliveryFields,
  url: text(8192).optional(),
  request: z.looseObject({
    headers,
    payload: z.record(z.string(), z.unknown()).nullable(),
  }),
  response: z.looseObject({
    headers,
    // A string in today's description; older builds typed it as an object.
    payload: z.union([z.string(), z.record(z.string(), z.unknown())]).nullable(),
  }),
})
export type HookDelivery = z.output<typeof hookDeliverySchema>

/** `POST /app/installations/{id}/access_tokens`, 201. The token's length and prefix vary. */
export const installationTokenSchema = z.looseObject({
  token: z.string().regex(/^[\x21-\x7e]{1,8192}$/),
  expires_at: dateTime,
})
export type InstallationToken = z.output<typeof installationTokenSchema>

/** `GET /repos/{owner}/{repo}/installation` and `/orgs/{org}/installation`. */
export const installationSchema = z.looseObject({ id })

/** 400, 401, 403, 404: `{message, documentation_url, status?}` (`status` is a string). */
export const basicErrorSchema = z.looseObject({
  message: z.string(),
  documentation_url: z.string().optional(),
  status: z.string().optional(),
})

/** 422: `{message, errors?: [{code, resource?, field?, message?}]}`, or `errors` as strings. */
export const validationErrorSchema = z.looseObject({
  message: z.string(),
  documentation_url: z.string().optional(),
  errors: z
    .array(
      z.union([
        z.string(),
        z.looseObject({
          code: z.string(),
          resource: z.string().optional(),
          field: z.string().optional(),
          message: z.string().optional(),
        }),
      ]),
    )
    .optional(),
})

/** Delivered means a 2xx answer. A 3xx counts as `success` in GitHub's filter, but not here. */
export function isDelivered(delivery: Pick<HookDeliveryItem, 'status_code'>): boolean {
  return delivery.status_code >= 200 && delivery.status_code < 300
}
