import type { CallOptions } from '@notiprobe/core'
import {
  callOptionsShape,
  invalidFields,
  optionsObjectErrors,
  showGiven,
  type FieldIssue,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import { MEDIUMS, SAILPOINT_OPERATIONS, VENDOR, type SailPointMedium } from './constants.js'
import { jsonObjectProblem } from './json-object.js'

/** What `send()` takes: the template to send, through which medium, with which variables. */
export interface SailPointSendOptions extends CallOptions {
  /** Template key, e.g. `cloud_manual_work_item_summary` (`listTemplates()` shows them). */
  readonly key: string
  readonly medium: SailPointMedium
  /**
   * The template's variables, as a plain JSON object of at most 32 levels and 10,000 values; `{}`
   * when absent.
   */
  readonly context?: Readonly<Record<string, unknown>> | undefined
  /** A BCP 47 tag such as `en` or `en-US`: the template's language. */
  readonly locale?: string | undefined
  /** Who receives the email instead of the caller; the same field as `recipientEmailList`. */
  readonly recipients?: readonly string[] | undefined
  /** SailPoint's name for `recipients`. Give one of the two. */
  readonly recipientEmailList?: readonly string[] | undefined
  readonly carbonCopy?: readonly string[] | undefined
  readonly blindCarbonCopy?: readonly string[] | undefined
  /** First confirm that the key and medium exist in the tenant's templates (one more request). */
  readonly preflight?: boolean | undefined
}

/** A checked send request. */
export interface SendRequest {
  readonly key: string
  readonly medium: SailPointMedium
  readonly context: Readonly<Record<string, unknown>>
  readonly locale: string | undefined
  readonly recipientEmailList: readonly string[] | undefined
  readonly carbonCopy: readonly string[] | undefined
  readonly blindCarbonCopy: readonly string[] | undefined
  readonly preflight: boolean
  readonly call: CallOptions
}

const SEND_FIELDS = [
  'key',
  'medium',
  'context',
  'locale',
  'recipients',
  'recipientEmailList',
  'carbonCopy',
  'blindCarbonCopy',
  'preflight',
  'signal',
  'timeoutMs',
] as const

/** Template keys are SailPoint identifiers; the rule also keeps them safe inside a filter. */
export const TEMPLATE_KEY_PATTERN = /^[A-Za-z0-9_.-]+$/
export const TEMPLATE_KEY_RULE =
  "must be a template key: letters, digits, '_', '.' or '-' (e.g. cloud_manual_work_item_summary)"

export const LOCALE_PATTERN = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/
const LOCALE_RULE = 'must be a BCP 47 language tag such as en or en-US'

export const MEDIUM_RULE = `must be one of ${MEDIUMS.join(', ')}`

export const templateKeySchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .check(
    z.minLength(1, { error: 'must not be empty', abort: true }),
    z.maxLength(255, { error: 'must be at most 255 characters', abort: true }),
    z.regex(TEMPLATE_KEY_PATTERN, TEMPLATE_KEY_RULE),
  )

export const mediumSchema = z.enum(MEDIUMS, {
  error: (issue) =>
    issue.input === undefined
      ? `is required (${MEDIUMS.join(', ')})`
      : typeof issue.input === 'string' &&
          (MEDIUMS as readonly string[]).includes(issue.input.toUpperCase())
        ? `${MEDIUM_RULE} (upper case; got ${showGiven(issue.input)})`
        : `${MEDIUM_RULE} (got ${showGiven(issue.input)})`,
})

export const localeSchema = z
  .string({ error: 'must be a string' })
  .check(z.regex(LOCALE_PATTERN, LOCALE_RULE))

const emails = z
  .array(z.email({ error: 'must be an email address' }), {
    error: 'must be an array of email addresses',
  })
  .check(
    z.minLength(1, 'must list at least one address, or be left out'),
    z.maxLength(100, 'must list at most 100 addresses'),
  )

const sendSchema = z.strictObject(
  {
    key: templateKeySchema,
    medium: mediumSchema,
    context: z.optional(
      z.unknown().check(
        z.superRefine((value, ctx) => {
          const problem = value === undefined ? undefined : jsonObjectProblem(value)
          if (problem !== undefined) {
            ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.message })
          }
        }),
      ),
    ),
    locale: z.optional(localeSchema),
    recipients: z.optional(emails),
    recipientEmailList: z.optional(emails),
    carbonCopy: z.optional(emails),
    blindCarbonCopy: z.optional(emails),
    preflight: z.optional(z.boolean({ error: 'must be true or false' })),
    ...callOptionsShape,
  },
  { error: optionsObjectErrors(SEND_FIELDS, 'field') },
)

/**
 * Checks `send()`'s input before anything is sent; every problem is named with its field. Beta and
 * v1 take the same fields (beta's request gained locale and the address lists on 2026-03-20).
 */
export function parseSendOptions(input: unknown): SendRequest {
  const parsed = z.safeParse(sendSchema, input)
  const issues: FieldIssue[] = parsed.success ? [] : [...parsed.error.issues]
  const data = parsed.success ? parsed.data : undefined
  const given = (typeof input === 'object' && input !== null ? input : {}) as Partial<
    Record<string, unknown>
  >
  if (given.recipients !== undefined && given.recipientEmailList !== undefined) {
    issues.push({
      path: ['recipientEmailList'],
      message: 'is the same field as recipients; give one of them',
    })
  }
  if (issues.length > 0 || data === undefined) {
    throw invalidFields(
      {
        vendor: VENDOR,
        operation: SAILPOINT_OPERATIONS.sendTestNotification.name,
        kind: 'invalid_input',
        subject: 'SailPoint send options',
      },
      issues,
    )
  }
  return {
    key: data.key,
    medium: data.medium,
    context: (data.context ?? {}) as Readonly<Record<string, unknown>>,
    locale: data.locale,
    recipientEmailList: data.recipientEmailList ?? data.recipients,
    carbonCopy: data.carbonCopy,
    blindCarbonCopy: data.blindCarbonCopy,
    preflight: data.preflight ?? false,
    call: { signal: data.signal, timeoutMs: data.timeoutMs },
  }
}

/** The JSON body of send-test, the same on beta and v1; fields not given are left out. */
export function buildSendBody(request: SendRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    key: request.key,
    medium: request.medium,
    context: request.context,
  }
  if (request.locale !== undefined) body.locale = request.locale
  if (request.recipientEmailList !== undefined) body.recipientEmailList = request.recipientEmailList
  if (request.carbonCopy !== undefined) body.carbonCopy = request.carbonCopy
  if (request.blindCarbonCopy !== undefined) body.blindCarbonCopy = request.blindCarbonCopy
  return body
}
