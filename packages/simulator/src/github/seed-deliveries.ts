import { z } from 'zod'
import type { DeliveryRecord } from './delivery-record.js'
import type { HookDispatcher } from './hook-dispatcher.js'
import { installationTargetType, type Hook } from './hooks.js'
import { newGuid } from './identifiers.js'

/** Deliveries recorded without being sent, to fill a log for paging and retention tests. */
export interface SeedDeliveriesOptions {
  count: number
  /** Default `push`. */
  event?: string
  /** Default 200; the `status` follows (`OK` for 2xx, `Invalid HTTP Response: <code>` otherwise). */
  statusCode?: number
  /** When the newest one was delivered (ms since epoch); default now. */
  newestAt?: number
  /** Time between consecutive seeded deliveries; default 1 000 ms. */
  spacingMs?: number
}

const seedSchema = z.strictObject({
  count: z.number().int().min(1).max(100_000),
  event: z
    .string()
    .regex(/^[a-z_]{1,64}$/)
    .optional(),
  statusCode: z.number().int().min(0).max(599).optional(),
  newestAt: z.number().int().min(0).optional(),
  spacingMs: z.number().int().min(0).optional(),
})

/** Records `count` deliveries, oldest first (so ids grow with time), ending at `newestAt`. */
export function seedDeliveries(
  hook: Hook,
  dispatcher: HookDispatcher,
  options: SeedDeliveriesOptions,
  context: { now: number; random: () => number },
): DeliveryRecord[] {
  const parsed = seedSchema.safeParse(options)
  if (!parsed.success) throw new TypeError(`invalid seed: ${z.prettifyError(parsed.error)}`)
  const o = parsed.data
  const event = o.event ?? 'push'
  const statusCode = o.statusCode ?? 200
  const newestAt = o.newestAt ?? context.now
  const spacing = o.spacingMs ?? 1_000
  const out: DeliveryRecord[] = []
  for (let i = o.count - 1; i >= 0; i--) {
    const deliveredAt = newestAt - i * spacing
    const guid = newGuid(context.random)
    out.push(
      dispatcher.record({
        guid,
        hookId: hook.id,
        event,
        action: null,
        installationId: null,
        repositoryId: hook.target.kind === 'repository' ? hook.targetId : null,
        redelivery: false,
        deliveredAt,
        visibleAt: deliveredAt,
        duration: 0.01,
        status:
          statusCode >= 200 && statusCode <= 299
            ? 'OK'
            : `Invalid HTTP Response: ${String(statusCode)}`,
        statusCode,
        url: hook.config.url,
        requestHeaders: {
          'X-GitHub-Delivery': guid,
          'X-GitHub-Event': event,
          'X-GitHub-Hook-ID': String(hook.id),
          'X-GitHub-Hook-Installation-Target-ID': String(hook.targetId),
          'X-GitHub-Hook-Installation-Target-Type': installationTargetType(hook),
        },
        payload: { seeded: true },
        requestBody: '',
        responseHeaders: {},
        responseBody: '',
      }),
    )
  }
  return out
}
