import { NotificationTestError, type ErrorKind } from '@notiprobe/core'
import {
  bodyExcerpt,
  failedMessage,
  kindForHttpStatus,
  type Operation,
  type VendorResponse,
} from '@notiprobe/core/adapter'
import { z } from '@notiprobe/core/zod'
import {
  REQUIRED_SCOPES,
  SAILPOINT_OPERATIONS,
  VENDOR,
  type SailPointApiVersion,
} from './constants.js'

/**
 * SailPoint's error answers, mapped in one place. The API answers `ErrorResponseDto` (400, 403,
 * 404, 5xx), `{error}` (401) and `{message}` with `Retry-After` in seconds (429); the OAuth token
 * endpoint answers RFC 6749 `{error, error_description}`. Whatever the body, the status decides
 * the kind through the tables below, and the body supplies the vendor's code, text and tracking id.
 */

/** Which SailPoint endpoint answered: the REST API or the OAuth token endpoint. */
export type SailPointEndpointKind = 'api' | 'token'

export interface ErrorContext {
  readonly operation: Operation
  readonly endpoint: SailPointEndpointKind
  readonly apiVersion: SailPointApiVersion
  /** The URL that answered (the token URL for the token endpoint), named in hints. */
  readonly url: string
}

/** What could be read from an error body. */
export interface ErrorFacts {
  readonly status: number
  readonly detailCode: string | undefined
  readonly trackingId: string | undefined
  /** `messages[].text`, `error`, `error_description` or `message`. */
  readonly texts: readonly string[]
  readonly causes: readonly string[]
  /** The OAuth `error` code of a token endpoint answer. */
  readonly oauthError: string | undefined
  /** A short plain-text rendering of a body that was not JSON. */
  readonly nonJson: string | undefined
  readonly retryAfterMs: number | undefined
}

interface ErrorRule {
  readonly kind: ErrorKind
  /** True only where SailPoint says the call may be repeated: a 429. */
  readonly retryable?: boolean
  readonly hint: (facts: ErrorFacts, context: ErrorContext) => string
}

type StatusKey = 400 | 401 | 403 | 404 | 429 | '4xx' | '5xx'

const scopeFor = (context: ErrorContext): string =>
  REQUIRED_SCOPES[
    context.operation === SAILPOINT_OPERATIONS.listTemplates ? 'templates' : 'sendTest'
  ][context.apiVersion]

const retryHint = (facts: ErrorFacts): string =>
  facts.retryAfterMs === undefined
    ? 'wait a few seconds and try again.'
    : `SailPoint asked to wait ${Math.ceil(facts.retryAfterMs / 1000)} s.`

/** The REST API's answers (send-test, template listing). */
const API_ERRORS: Readonly<Record<StatusKey, ErrorRule>> = {
  400: {
    kind: 'invalid_input',
    hint: (_facts, context) =>
      context.operation === SAILPOINT_OPERATIONS.listTemplates
        ? 'Check the template filters (key, medium, locale).'
        : 'Check key, medium and context against the tenant’s templates: listTemplates() shows the keys and mediums that exist.',
  },
  401: {
    kind: 'auth',
    hint: () =>
      'SailPoint refused the access token. Check clientId and clientSecret, that the personal access token has not expired or been deleted, and that tenant (or baseUrl) is the tenant the credentials belong to.',
  },
  403: {
    kind: 'forbidden',
    hint: (_facts, context) =>
      `This endpoint needs an identity with the ORG_ADMIN user level and a token with scope ${scopeFor(context)} (apiVersion '${context.apiVersion}'): create the personal access token as an ORG_ADMIN, or grant the OAuth client that scope.`,
  },
  404: {
    kind: 'not_found',
    hint: (_facts, context) =>
      context.operation === SAILPOINT_OPERATIONS.sendTestNotification
        ? `The template key may not exist in this tenant (listTemplates() shows the keys), or tenant (or baseUrl, now ${new URL(context.url).origin}) and apiVersion '${context.apiVersion}' do not name an API this tenant offers.`
        : `Check tenant (or baseUrl, now ${new URL(context.url).origin}) and apiVersion '${context.apiVersion}': the tenant may not offer this API version.`,
  },
  429: {
    kind: 'rate_limited',
    retryable: true,
    hint: (facts) =>
      `SailPoint allows 100 requests per 10 seconds, per access token or (since 2026-03) per client id, so a new token does not reset it; ${retryHint(facts)}`,
  },
  '4xx': {
    kind: 'invalid_input',
    hint: () => 'SailPoint refused the request as sent.',
  },
  '5xx': {
    kind: 'vendor_error',
    hint: (facts) =>
      `SailPoint had a problem on its side; try again later${facts.trackingId === undefined ? '' : ', and quote the tracking id to SailPoint support if it persists'}.`,
  },
}

const credentialsHint =
  'Check clientId and clientSecret (SAIL_CLIENT_ID, SAIL_CLIENT_SECRET), that the personal access token has not expired or been deleted, and that tenant (or baseUrl) is the tenant the credentials belong to.'

/** The OAuth token endpoint's answers. */
const TOKEN_ERRORS: Readonly<Record<StatusKey, ErrorRule>> = {
  400: {
    kind: 'config',
    hint: (facts, context) =>
      facts.oauthError === 'invalid_client' || facts.oauthError === 'unauthorized_client'
        ? credentialsHint
        : `The token endpoint at ${new URL(context.url).host} refused the client-credentials request; check tokenUrl (now ${context.url}).`,
  },
  401: {
    kind: 'auth',
    hint: () => `The token endpoint refused the client credentials. ${credentialsHint}`,
  },
  403: { kind: 'auth', hint: () => `The token endpoint refused the client. ${credentialsHint}` },
  404: {
    kind: 'config',
    hint: (_facts, context) =>
      `There is no OAuth token endpoint at ${context.url} (host ${new URL(context.url).host}): check tenant (or baseUrl) and tokenUrl.`,
  },
  429: {
    kind: 'rate_limited',
    retryable: true,
    hint: (facts) => `SailPoint's token endpoint is rate limiting; ${retryHint(facts)}`,
  },
  '4xx': {
    kind: 'config',
    hint: (_facts, context) =>
      `The token endpoint at ${new URL(context.url).host} refused the request; check tokenUrl (now ${context.url}).`,
  },
  '5xx': {
    kind: 'vendor_error',
    hint: () => 'SailPoint’s token endpoint had a problem on its side; try again later.',
  },
}

/** OAuth error codes that mean the credentials, not the configuration, are wrong. */
const CREDENTIAL_ERRORS = new Set(['invalid_client', 'unauthorized_client', 'invalid_grant'])

const TABLES: Readonly<Record<SailPointEndpointKind, Readonly<Record<StatusKey, ErrorRule>>>> = {
  api: API_ERRORS,
  token: TOKEN_ERRORS,
}

function ruleFor(status: number, endpoint: SailPointEndpointKind, facts: ErrorFacts): ErrorRule {
  const table = TABLES[endpoint]
  const rule =
    status === 400 || status === 401 || status === 403 || status === 404 || status === 429
      ? table[status]
      : status >= 500
        ? table['5xx']
        : status >= 400
          ? table['4xx']
          : undefined
  if (rule === undefined) return { kind: kindForHttpStatus(status), hint: () => '' }
  if (
    endpoint === 'token' &&
    facts.oauthError !== undefined &&
    CREDENTIAL_ERRORS.has(facts.oauthError)
  ) {
    return { ...rule, kind: 'auth' }
  }
  return rule
}

/** A message entry; the text may be missing or null in real answers, so every field is lenient. */
const messageSchema = z.looseObject({ text: z.catch(z.nullish(z.string()), undefined) })
const textList = z.catch(z.nullish(z.array(z.unknown())), undefined)
const lenientString = z.catch(z.nullish(z.string()), undefined)

/** Every error shape SailPoint uses, read leniently: a field that is off is ignored, not fatal. */
const errorBodySchema = z.looseObject({
  detailCode: lenientString,
  trackingId: lenientString,
  messages: textList,
  causes: textList,
  error: lenientString,
  error_description: lenientString,
  message: lenientString,
})

/** Texts quoted at most, and characters of each: a message quotes the vendor, it does not copy it. */
const MAX_TEXTS = 5
const MAX_TEXT_CHARS = 300

function textsOf(list: readonly unknown[] | null | undefined): string[] {
  const texts: string[] = []
  for (const item of (list ?? []).slice(0, MAX_TEXTS)) {
    const parsed = z.safeParse(messageSchema, item)
    const value = parsed.success ? excerpt(parsed.data.text) : undefined
    if (value) texts.push(value)
  }
  return texts
}

/** The first few hundred characters of a vendor text, trimmed. */
function excerpt(text: string | null | undefined): string | undefined {
  const cut = text?.slice(0, MAX_TEXT_CHARS + 1).trim()
  if (!cut) return undefined
  return cut.length > MAX_TEXT_CHARS ? `${cut.slice(0, MAX_TEXT_CHARS)}…` : cut
}

/** Reads what an error answer says, whatever its shape. */
export function readErrorFacts(response: VendorResponse): ErrorFacts {
  const base = { status: response.status, retryAfterMs: response.retryAfterMs }
  const parsed =
    response.json !== undefined && !Array.isArray(response.json)
      ? z.safeParse(errorBodySchema, response.json)
      : undefined
  if (parsed === undefined || !parsed.success) {
    return {
      ...base,
      detailCode: undefined,
      trackingId: undefined,
      texts: [],
      causes: [],
      oauthError: undefined,
      nonJson: response.json === undefined ? plainText(response) : undefined,
    }
  }
  const body = parsed.data
  const texts = textsOf(body.messages)
  const error = excerpt(body.error)
  const description = excerpt(body.error_description)
  // OAuth answers `{error, error_description}`: "invalid_client: Bad client credentials".
  const oauth = [error, description].filter((part) => part !== undefined && part !== '').join(': ')
  if (oauth !== '') texts.push(oauth)
  const message = excerpt(body.message)
  if (message) texts.push(message)
  return {
    ...base,
    detailCode: excerpt(body.detailCode),
    trackingId: excerpt(body.trackingId),
    texts,
    causes: textsOf(body.causes),
    oauthError: error,
    nonJson: undefined,
  }
}

/** What a non-JSON body says, in a few words: what a proxy's error page says. */
function plainText(response: VendorResponse): string {
  const type = response.headers['content-type']?.split(';')[0]?.trim().slice(0, 100)
  const excerpt = bodyExcerpt(response.body)
  if (excerpt === undefined) return `an empty body${type ? ` (${type})` : ''}`
  return `a non-JSON body${type ? ` (${type})` : ''}: "${excerpt}"`
}

/**
 * The one mapping from a SailPoint error answer to a NotificationTestError: the kind from the
 * status table, `vendorCode` = `detailCode` (or the OAuth `error`), `requestId` = `trackingId`, the
 * vendor's messages and causes in the message, and a hint saying what to check.
 */
export function mapSailPointError(
  response: VendorResponse,
  context: ErrorContext,
): NotificationTestError {
  const facts = readErrorFacts(response)
  const rule = ruleFor(response.status, context.endpoint, facts)
  const vendorText = [
    ...facts.texts.map(endSentence),
    ...(facts.causes.length > 0 ? [endSentence(`Causes: ${facts.causes.join('; ')}`)] : []),
  ].join(' ')
  const said = facts.nonJson ?? (vendorText === '' ? 'no error details' : vendorText)
  const code = facts.detailCode === undefined ? '' : ` (${facts.detailCode})`
  const hint = rule.hint(facts, context)
  const tracking = facts.trackingId === undefined ? '' : ` Tracking id: ${facts.trackingId}.`
  return new NotificationTestError({
    vendor: VENDOR,
    operation: context.operation.name,
    kind: rule.kind,
    message: failedMessage(
      context.operation,
      `SailPoint answered HTTP ${response.status}${code}: ${endSentence(said)} ${hint}${tracking}`,
    ),
    httpStatus: response.status,
    vendorCode: facts.detailCode ?? (context.endpoint === 'token' ? facts.oauthError : undefined),
    vendorMessage: vendorText === '' ? facts.nonJson : vendorText,
    retryable: rule.retryable ?? false,
    retryAfterMs: facts.retryAfterMs,
    requestId: facts.trackingId,
  })
}

function endSentence(text: string): string {
  return /[.!?"]$/.test(text) ? text : `${text}.`
}
