import type { AxiosResponse } from 'axios'
import { parseRetryAfter } from '../retry-after.js'

/** An HTTP answer from the vendor, body kept as text and parsed as JSON where it is JSON. */
export interface VendorResponse {
  readonly status: number
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /**
   * The body parsed as JSON, or undefined when it is empty, not JSON, or the request asked for text
   * only (`RequestSpec.answerAs`).
   */
  readonly json: unknown
  /** From `Retry-After`, in whatever form the vendor sent it. */
  readonly retryAfterMs: number | undefined
}

/** How an answer's body is kept: parsed as JSON too, or as text only. */
export type AnswerForm = 'json' | 'text'

export function toVendorResponse(
  raw: AxiosResponse,
  body: string,
  now: number,
  form: AnswerForm = 'json',
): VendorResponse {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw.headers as Record<string, unknown>)) {
    if (value !== undefined && value !== null) {
      headers[name.toLowerCase()] = Array.isArray(value)
        ? value.join(', ')
        : `${value as string | number}`
    }
  }
  return {
    status: raw.status,
    headers,
    body,
    json: form === 'json' ? parseJson(body) : undefined,
    retryAfterMs: parseRetryAfter(headers['retry-after'], now),
  }
}

function parseJson(body: string): unknown {
  const trimmed = body.trim()
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined
  try {
    return JSON.parse(trimmed) as unknown
  } catch {
    return undefined
  }
}
