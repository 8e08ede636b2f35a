import { z } from '@notiprobe/core/zod'
import { checkDeliveryLimits } from './delivery-limits.js'
import { githubEpochMs, GITHUB_TIME_RULE, isGitHubTime } from './github-time.js'
import { toGitHubId, type GitHubId } from './github-id.js'

/**
 * GitHub's answers, as its OpenAPI description gives them (`hook-delivery-item`, `hook-delivery`,
 * `installation-token`, `basic-error`, `validation-error`). Parse bodies with `parseExactJson`
 * first: ids above 2^53 then arrive as decimal strings and stay exact. Field names stay GitHub's,
 * so what a user sees as evidence matches GitHub's documentation.
 */

/** An int64 id: a safe JSON number, or the exact string `parseExactJson` made of a larger one. */
const id = z.pipe(
  z.union([z.number(), z.string()]),
  z.transform((value, ctx): GitHubId => {
    const parsed = toGitHubId(value)
    if (parsed !== undefined) return parsed
    ctx.addIssue({ code: 'custom', message: 'expected a positive 64-bit integer id' })
    return z.NEVER
  }),
)

/** ISO 8601 UTC date-time as GitHub writes it; kept as text, range-checked. */
const dateTime = z.string().check(z.refine(isGitHubTime, { error: GITHUB_TIME_RULE }))

/**
 * GitHub's own time from an answer's `Date` header, in epoch milliseconds; undefined when absent or
 * not a time GitHub could stamp (a broken proxy, a hostile server), so the caller uses its own clock.
 */
export function githubTimeOf(dateHeader: string | undefined): number | undefined {
  return githubEpochMs(Date.parse(dateHeader?.slice(0, 100) ?? ''))
}

const headers = z.nullable(z.record(z.string(), z.unknown()))

/** The types of a delivery's fields; their limits are checked after, in one pass (`checkDeliveryLimits`). */
const deliveryFields = {
  id,
  guid: z.string(),
  delivered_at: z.string(),
  redelivery: z.boolean(),
  duration: z.number(),
  status: z.string(),
  status_code: z.number(),
  event: z.string(),
  action: z.nullable(z.string()),
  installation_id: z.nullable(id),
  repository_id: z.nullable(id),
  throttled_at: z.optional(z.nullable(z.string())),
}

/** Parsed for every delivery of every page of the log: compiled by zod on its first parse. */
export const hookDeliveryItemSchema = z.compiled(() =>
  z.looseObject(deliveryFields).check(z.superRefine(checkDeliveryLimits)),
)
export type HookDeliveryItem = z.output<typeof hookDeliveryItemSchema>

export const hookDeliveryListSchema = z.array(hookDeliveryItemSchema).check(z.maxLength(1000))

export const hookDeliverySchema = z
  .looseObject({
    ...deliveryFields,
    url: z.optional(
      z.string().check(z.maxLength(8192, { error: 'expected at most 8192 characters' })),
    ),
    request: z.looseObject({
      headers,
      payload: z.nullable(z.record(z.string(), z.unknown())),
    }),
    response: z.looseObject({
      headers,
      // A string in today's description; older builds typed it as an object.
      payload: z.nullable(z.union([z.string(), z.record(z.string(), z.unknown())])),
    }),
  })
  .check(z.superRefine(checkDeliveryLimits))
export type HookDelivery = z.output<typeof hookDeliverySchema>

/** `POST /app/installations/{id}/access_tokens`, 201. The token's length and prefix vary. */
export const installationTokenSchema = z.looseObject({
  token: z.string().check(z.regex(/^[\x21-\x7e]{1,8192}$/)),
  expires_at: dateTime,
})
export type InstallationToken = z.output<typeof installationTokenSchema>

/** `GET /repos/{owner}/{repo}/installation` and `/orgs/{org}/installation`. */
export const installationSchema = z.looseObject({ id })

/** 400, 401, 403, 404: `{message, documentation_url, status?}` (`status` is a string). */
export const basicErrorSchema = z.looseObject({
  message: z.string(),
  documentation_url: z.optional(z.string()),
  status: z.optional(z.string()),
})

/** 422: `{message, errors?: [{code, resource?, field?, message?}]}`, or `errors` as strings. */
export const validationErrorSchema = z.looseObject({
  message: z.string(),
  documentation_url: z.optional(z.string()),
  errors: z.optional(
    z.array(
      z.union([
        z.string(),
        z.looseObject({
          code: z.string(),
          resource: z.optional(z.string()),
          field: z.optional(z.string()),
          message: z.optional(z.string()),
        }),
      ]),
    ),
  ),
})

/** Delivered means a 2xx answer. A 3xx counts as `success` in GitHub's filter, but not here. */
export function isDelivered(delivery: Pick<HookDeliveryItem, 'status_code'>): boolean {
  return delivery.status_code >= 200 && delivery.status_code < 300
}
