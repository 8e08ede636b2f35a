import type { z } from '@notiprobe/core/zod'
import { GITHUB_TIME_RULE, isGitHubTime } from './github-time.js'

/** A field's limit: the message when `value` (of the type zod already checked) breaks it. */
type Limit = (value: never) => string | undefined

const maxLength =
  (max: number): Limit =>
  (value: string) =>
    value.length > max ? `expected at most ${max} characters` : undefined

const DELIVERY_LIMITS: Readonly<Record<string, Limit>> = {
  guid: maxLength(100),
  delivered_at: (value: string) => (isGitHubTime(value) ? undefined : GITHUB_TIME_RULE),
  /** Time spent delivering; seconds by every example (the unit is not documented). */
  duration: (value: number) =>
    value >= 0 && value <= 86_400 ? undefined : 'expected a number of seconds from 0 to 86400',
  status: maxLength(1000),
  /** 0 is what connection-level failures show ("Invalid HTTP Response: 0"). */
  status_code: (value: number) =>
    Number.isInteger(value) && value >= 0 && value <= 999
      ? undefined
      : 'expected a whole number from 0 to 999',
  event: maxLength(100),
  action: maxLength(100),
  throttled_at: (value: string) => (isGitHubTime(value) ? undefined : GITHUB_TIME_RULE),
}

/**
 * The limits of a delivery's fields, in one pass once zod has checked their types. As a zod check
 * on each field (`.max()`, `.refine()`) they cost more than the rest of a page's parse: a page
 * holds up to 100 deliveries, and the deliveries log is read page after page.
 */
export function checkDeliveryLimits(
  delivery: Readonly<Record<string, unknown>>,
  context: z.RefinementCtx,
): void {
  for (const field in DELIVERY_LIMITS) {
    const value = delivery[field]
    if (value === null || value === undefined) continue
    const message = (DELIVERY_LIMITS[field] as (value: unknown) => string | undefined)(value)
    if (message !== undefined)
      context.addIssue({ code: 'custom', path: [field], message, input: value })
  }
}
