import { parseExactJson } from './exact-json.js'

export type WebhookContentType = 'json' | 'form'

/** The hook's content type from `Content-Type`: GitHub sends JSON or, by default, a form. */
export function webhookContentType(header: string | undefined): WebhookContentType | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase()
  if (type === 'application/json') return 'json'
  if (type === 'application/x-www-form-urlencoded') return 'form'
  return undefined
}

/**
 * The payload of a verified body: the JSON object itself, or the JSON in a form's single
 * `payload` field. Returns a problem for anything else (not UTF-8, not JSON, not an object).
 */
export function parseWebhookBody(
  body: Buffer,
  type: WebhookContentType,
): { readonly payload: Record<string, unknown> } | { readonly problem: string } {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    return { problem: 'the body is not UTF-8' }
  }
  if (type === 'form') {
    const fields = new URLSearchParams(text)
    const payloads = fields.getAll('payload')
    if (payloads.length !== 1 || fields.size !== 1) {
      return { problem: 'the form body must hold exactly one field, payload' }
    }
    text = payloads[0] ?? ''
  }
  let payload: unknown
  try {
    payload = parseExactJson(text)
  } catch {
    return { problem: `the ${type === 'form' ? 'payload field' : 'body'} is not valid JSON` }
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { problem: 'the payload is not a JSON object' }
  }
  return { payload: payload as Record<string, unknown> }
}
