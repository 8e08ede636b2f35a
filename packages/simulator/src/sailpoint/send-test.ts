import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { readBody, sendEmpty } from '../common/http-io.js'
import { DETAIL_CODES, type SailPointErrorWriter } from './error-response.js'
import type { SailPointApiVersion } from './routes.js'
import {
  SAILPOINT_MEDIUMS,
  SIMULATED_FROM,
  type SailPointMedium,
  type TemplateCatalogue,
} from './template-catalogue.js'
import { renderTemplate } from './template-render.js'
import type { IssuedToken } from './token-store.js'

/** A notification the simulator "sent" in answer to a send-test request. */
export interface OutboxEntry {
  id: string
  version: SailPointApiVersion
  key: string
  medium: SailPointMedium
  locale: string
  from: string
  subject: string
  body: string
  /** References the context did not fill, left as written. */
  unresolvedVariables: string[]
  recipients: { to: string[]; cc: string[]; bcc: string[] }
  context: Record<string, unknown>
  clientId: string
  identityId: string
  /** Simulator clock, ms since the epoch. */
  sentAt: number
}

// Beta and v1 take the same fields (beta gained locale and the address lists on 2026-03-20).
// Jackson-style leniency: unknown fields are ignored and null means absent.
const sendTestSchema = z.looseObject({
  key: z.string().nullish(),
  medium: z.string().nullish(),
  context: z.record(z.string(), z.unknown()).nullish(),
  locale: z.string().nullish(),
  recipientEmailList: z.array(z.string()).nullish(),
  carbonCopy: z.array(z.string()).nullish(),
  blindCarbonCopy: z.array(z.string()).nullish(),
})

const EMAIL = z.email()
const DEFAULT_LOCALE = 'en'

export interface SendTestContext {
  version: SailPointApiVersion
  token: IssuedToken
  tenant: string
  catalogue: TemplateCatalogue
  errors: SailPointErrorWriter
  now: () => number
  record(entry: OutboxEntry): void
}

/**
 * `POST .../send-test-notification`. Checks run in the order a client fixes them: body shape,
 * required fields, medium, template existence (404: the template is a resource that is not there),
 * the template's mediums and locales, its required context variables, then the addresses.
 * Success is 204 with no body, and one outbox entry.
 */
export async function handleSendTest(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: SendTestContext,
): Promise<void> {
  const { errors } = ctx
  const type = req.headers['content-type']
  if (type !== undefined && !/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    errors.dto(res, 415, `Content type ${type} is not supported; send application/json.`, {
      detailCode: DETAIL_CODES.unsupportedMediaType,
    })
    return
  }
  let json: unknown
  try {
    json = JSON.parse((await readBody(req)).toString('utf8'))
  } catch (error) {
    if (error instanceof Error && error.name === 'BodyTooLargeError') throw error
    errors.dto(res, 400, 'The request body is not valid JSON.')
    return
  }
  const parsed = sendTestSchema.safeParse(json)
  if (!parsed.success) {
    errors.dto(res, 400, 'The request body does not match SendTestNotificationRequestDto.', {
      causes: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
    })
    return
  }
  const body = parsed.data
  const missing = (['key', 'medium'] as const).filter((f) => !body[f])
  if (missing.length > 0) {
    errors.dto(res, 400, `Required field missing: ${missing.join(', ')}.`)
    return
  }
  const key = body.key ?? ''
  const medium = body.medium ?? ''
  if (!(SAILPOINT_MEDIUMS as readonly string[]).includes(medium)) {
    errors.dto(
      res,
      400,
      `Illegal value "${medium}" for field medium; expected one of ${SAILPOINT_MEDIUMS.join(', ')}.`,
      { detailCode: DETAIL_CODES.illegalValue },
    )
    return
  }
  const template = ctx.catalogue.get(key)
  if (template === undefined) {
    errors.dto(res, 404, `No notification template has the key "${key}".`)
    return
  }
  const forMedium = template.variants.filter((v) => v.medium === medium)
  if (forMedium.length === 0) {
    const offered = [...new Set(template.variants.map((v) => v.medium))].join(', ')
    errors.dto(
      res,
      400,
      `Template "${key}" has no ${medium} version; it is available for ${offered}.`,
      { detailCode: DETAIL_CODES.illegalValue },
    )
    return
  }
  const locale = body.locale || DEFAULT_LOCALE
  const variant = forMedium.find((v) => v.locale === locale)
  if (variant === undefined) {
    errors.dto(
      res,
      400,
      `Template "${key}" has no ${medium} version in locale "${locale}"; available: ${forMedium.map((v) => v.locale).join(', ')}.`,
      { detailCode: DETAIL_CODES.illegalValue },
    )
    return
  }
  const context = body.context ?? {}
  const absent = template.variables
    .filter((v) => v.required === true && (context[v.key] === undefined || context[v.key] === null))
    .map((v) => v.key)
  if (absent.length > 0) {
    errors.dto(res, 400, `The context lacks variables template "${key}" requires.`, {
      causes: absent.map((name) => `context.${name} is required`),
    })
    return
  }
  const to = body.recipientEmailList ?? []
  const cc = body.carbonCopy ?? []
  const bcc = body.blindCarbonCopy ?? []
  const badAddresses = [...to, ...cc, ...bcc].filter((a) => !EMAIL.safeParse(a).success)
  if (badAddresses.length > 0) {
    errors.dto(res, 400, 'Some recipient addresses are not valid email addresses.', {
      detailCode: DETAIL_CODES.illegalValue,
      causes: badAddresses.map((a) => `"${a}" is not an email address`),
    })
    return
  }

  const recipientName = `${ctx.token.clientId} (simulated identity)`
  const scope = {
    __global: { productName: 'Identity Security Cloud', emailFromAddress: SIMULATED_FROM },
    __recipient: { name: recipientName, email: identityEmail(ctx) },
    ...context,
  }
  const subject = renderTemplate(variant.subject, scope)
  const rendered = renderTemplate(variant.body, scope)
  ctx.record({
    id: randomUUID(),
    version: ctx.version,
    key,
    medium: variant.medium,
    locale,
    from: SIMULATED_FROM,
    subject: subject.text,
    body: rendered.text,
    unresolvedVariables: [...new Set([...subject.unresolved, ...rendered.unresolved])],
    recipients: { to: to.length > 0 ? to : [identityEmail(ctx)], cc, bcc },
    context,
    clientId: ctx.token.clientId,
    identityId: ctx.token.identityId,
    sentAt: ctx.now(),
  })
  sendEmpty(res, 204)
}

/** Where a test notification goes when no recipients are given: the caller's own identity. */
function identityEmail(ctx: SendTestContext): string {
  return `${ctx.token.identityId.slice(0, 12)}@${ctx.tenant}.sim.invalid`
}
