import type { IncomingHttpHeaders } from 'node:http'
import { toGitHubId, type GitHubId } from './github-id.js'

/** A verified delivery, as `onEvent` receives it. */
export interface GitHubWebhookEvent {
  /** `X-GitHub-Delivery`: the GUID, the same on every redelivery; matches the deliveries log. */
  readonly deliveryId: string
  /** `X-GitHub-Event`: `ping`, `push`, `issues`, … */
  readonly name: string
  /** `X-GitHub-Hook-ID`. */
  readonly hookId: GitHubId | undefined
  /** `X-GitHub-Hook-Installation-Target-Type`: `repository`, `organization`, `integration` (an App), … */
  readonly targetType: string | undefined
  /** `X-GitHub-Hook-Installation-Target-ID`. */
  readonly targetId: GitHubId | undefined
  /** The JSON payload, from a JSON body or a form body's `payload` field; int64 ids kept exact. */
  readonly payload: Readonly<Record<string, unknown>>
  /** How the body came: the hook's content type, `json` or `form`. */
  readonly contentType: 'json' | 'form'
}

export type DeliveryHeaders = Omit<GitHubWebhookEvent, 'payload' | 'contentType'>

/** Event names are lower-case words (`pull_request_review`); the GUID an opaque token. */
const EVENT_NAME = /^[a-z][a-z0-9_.]{0,99}$/
const DELIVERY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/
const TARGET_TYPE = /^[a-z][a-z0-9_]{0,63}$/

/**
 * Reads GitHub's delivery headers, or says which one is missing or malformed. The event and
 * delivery id are required; the hook and target headers are optional (not every sender sets
 * them) but refused when malformed.
 */
export function readDeliveryHeaders(
  headers: IncomingHttpHeaders,
): { readonly delivery: DeliveryHeaders } | { readonly problem: string } {
  const name = single(headers['x-github-event'])
  const deliveryId = single(headers['x-github-delivery'])
  if (name === undefined) return { problem: 'the X-GitHub-Event header is missing' }
  if (!EVENT_NAME.test(name)) return { problem: 'the X-GitHub-Event header is not an event name' }
  if (deliveryId === undefined) return { problem: 'the X-GitHub-Delivery header is missing' }
  if (!DELIVERY_ID.test(deliveryId)) {
    return { problem: 'the X-GitHub-Delivery header is not a delivery GUID' }
  }
  const hookHeader = single(headers['x-github-hook-id'])
  const typeHeader = single(headers['x-github-hook-installation-target-type'])
  const targetHeader = single(headers['x-github-hook-installation-target-id'])
  const hookId = hookHeader === undefined ? undefined : toGitHubId(hookHeader)
  const targetId = targetHeader === undefined ? undefined : toGitHubId(targetHeader)
  if (hookHeader !== undefined && hookId === undefined) {
    return { problem: 'the X-GitHub-Hook-ID header is not a hook id' }
  }
  if (targetHeader !== undefined && targetId === undefined) {
    return { problem: 'the X-GitHub-Hook-Installation-Target-ID header is not an id' }
  }
  if (typeHeader !== undefined && !TARGET_TYPE.test(typeHeader)) {
    return { problem: 'the X-GitHub-Hook-Installation-Target-Type header is not a target type' }
  }
  return { delivery: { deliveryId, name, hookId, targetType: typeHeader, targetId } }
}

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value
  const trimmed = text?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}
