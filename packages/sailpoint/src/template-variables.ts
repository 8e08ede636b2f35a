import { NotificationTestError, isNotificationTestError } from '@notiprobe/core'
import { parseWith } from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import {
  REQUIRED_SCOPES,
  SAILPOINT_OPERATIONS,
  VENDOR,
  type SailPointApiVersion,
  type SailPointMedium,
} from './constants.js'

/**
 * The variables a template fills in: `GET /notification-template-variables/v1/{key}/{medium}`
 * (`TemplateVariablesDto`). The endpoint has no beta path (SailPoint's v1 and v2026 SDK references
 * list it; the beta ones do not), so it is read on v1 whatever `apiVersion` the sends use.
 */

/** One variable: what to put in a send's `context` under `key` (or a global SailPoint fills in). */
export interface TemplateVariable {
  readonly key: string
  readonly type: string | undefined
  readonly description: string | undefined
  readonly example: string | undefined
}

/** The variables of one template in one medium. */
export interface TemplateVariables {
  readonly key: string
  readonly medium: SailPointMedium
  /** The template's own variables: the ones a send's `context` provides. */
  readonly templateVariables: readonly TemplateVariable[]
  /** Variables SailPoint fills in for every template (`__global.productName`, `__recipient.name`). */
  readonly globalVariables: readonly TemplateVariable[]
}

/** At most this many variables per list: far beyond any template; more is a broken answer. */
const MAX_VARIABLES = 1000

/** The request path for one key and medium; both are checked against patterns first. */
export function templateVariablesPath(key: string, medium: SailPointMedium): string {
  return `/notification-template-variables/v1/${encodeURIComponent(key)}/${medium}`
}

const optionalText = z.catch(z.nullish(z.string()), undefined)

const variableSchema = z.looseObject({
  key: z.string().check(z.minLength(1)),
  type: optionalText,
  description: optionalText,
  // Documented as a string; a number or boolean example is shown as written.
  example: z.catch(
    z.pipe(
      z.nullish(z.union([z.string(), z.number(), z.boolean()])),
      z.transform((value) => (value === null || value === undefined ? undefined : String(value))),
    ),
    undefined,
  ),
})

const variablesSchema = z.looseObject({
  templateVariables: z.nullish(z.array(variableSchema).check(z.maxLength(MAX_VARIABLES))),
  globalVariables: z.nullish(z.array(variableSchema).check(z.maxLength(MAX_VARIABLES))),
})

/** SailPoint's answer, checked; lists it left out are empty. */
export function parseTemplateVariables(
  json: unknown,
  key: string,
  medium: SailPointMedium,
): TemplateVariables {
  const parsed = parseWith(variablesSchema, json, {
    vendor: VENDOR,
    operation: SAILPOINT_OPERATIONS.templateVariables.name,
    kind: 'invalid_response',
    subject: `variables of the SailPoint template '${key}' (${medium}) (expected {templateVariables: [...], globalVariables: [...]}, each variable with a key)`,
  })
  const toVariable = (v: z.infer<typeof variableSchema>): TemplateVariable => ({
    key: v.key,
    type: v.type ?? undefined,
    description: v.description ?? undefined,
    example: v.example,
  })
  return {
    key,
    medium,
    templateVariables: (parsed.templateVariables ?? []).map(toVariable),
    globalVariables: (parsed.globalVariables ?? []).map(toVariable),
  }
}

/**
 * A 403 or 404 said in SailPoint's terms: the scope the token lacks, or that the tenant has no such
 * template in that medium. Any other error is returned as it is.
 */
export function templateVariablesError(
  error: unknown,
  key: string,
  medium: SailPointMedium,
  apiVersion: SailPointApiVersion,
): unknown {
  if (!isNotificationTestError(error)) return error
  if (error.httpStatus !== 403 && error.httpStatus !== 404) return error
  const operation = SAILPOINT_OPERATIONS.templateVariables
  const request = `GET ${templateVariablesPath(key, medium)}`
  const code = error.vendorCode === undefined ? '' : ` (${String(error.vendorCode)})`
  const said = error.vendorMessage === undefined ? '' : ` ${error.vendorMessage}`
  const tracking = error.requestId === undefined ? '' : ` Tracking id: ${error.requestId}.`
  const why =
    error.httpStatus === 403
      ? `The token lacks scope ${REQUIRED_SCOPES.templateVariables[apiVersion]}: grant it to the personal access token or OAuth client.`
      : `SailPoint has no ${medium} version of the template '${key}' in this tenant: listTemplates() lists the keys and mediums that exist.`
  return new NotificationTestError({
    vendor: VENDOR,
    operation: operation.name,
    kind: error.httpStatus === 403 ? 'forbidden' : 'not_found',
    message: `${operation.label} failed: SailPoint answered HTTP ${error.httpStatus}${code} to ${request}:${said} ${why}${tracking}`,
    httpStatus: error.httpStatus,
    vendorCode: error.vendorCode,
    vendorMessage: error.vendorMessage,
    requestId: error.requestId,
    retryable: false,
    cause: error,
  })
}
