import { randomInt, randomUUID } from 'node:crypto'
import { z } from 'zod'
import { SeedBatchSource } from './history-sources.js'
import { isNotificationType, isSubtypeOf, type NotificationType } from './notification-types.js'
import type { PayloadSigner } from './payload-signer.js'
import { SEND_ATTEMPT_RESULTS, type SendAttemptResult } from './send-attempt-result.js'
import type { AppleEnvironment } from './environment.js'

/** What `seedHistory` adds: `count` records spread evenly between two dates. */
export interface SeedHistoryOptions {
  count: number
  /** Epoch ms of the first record; default 24 hours before now. */
  startDate?: number
  /** Epoch ms of the last record; default now. */
  endDate?: number
  /** Default 'SUBSCRIBED'. */
  notificationType?: NotificationType
  /** Must be one the type carries; default none. */
  subtype?: string
  /** The original transaction id the records are about; default a random 16-digit id. */
  transactionId?: string
  /** The one recorded attempt's result; default 'SUCCESS' (anything else shows in onlyFailures). */
  sendAttemptResult?: SendAttemptResult
  /**
   * Sign each record on its own when a page is read (realistic, about a millisecond a page), rather
   * than one shared payload per batch (the default: a 100 000-record history costs one signature).
   */
  uniquePayloads?: boolean
}

/** What a seeding produced, for assertions. */
export interface SeededHistory {
  count: number
  startDate: number
  endDate: number
  notificationType: NotificationType
  subtype?: string
  transactionId: string
  sendAttemptResult: SendAttemptResult
}

const seedSchema = z
  .strictObject({
    count: z.number().int().min(1).max(10_000_000),
    startDate: z.number().int().positive().optional(),
    endDate: z.number().int().positive().optional(),
    notificationType: z
      .string()
      .refine(isNotificationType, 'must be an upper-case notification type')
      .optional(),
    subtype: z.string().optional(),
    transactionId: z
      .string()
      .regex(/^\d{1,32}$/)
      .optional(),
    sendAttemptResult: z.enum(SEND_ATTEMPT_RESULTS).optional(),
    uniquePayloads: z.boolean().optional(),
  })
  .refine((o) => o.startDate === undefined || o.endDate === undefined || o.startDate <= o.endDate, {
    message: 'startDate must not be after endDate',
  })

export interface SeedContext {
  signer: PayloadSigner
  environment: AppleEnvironment
  bundleId: string
  appAppleId: number
  now: number
  batchId: string
}

/** Validates seed options and builds the virtual batch; throws a TypeError on bad options. */
export function createSeedBatch(
  options: SeedHistoryOptions,
  context: SeedContext,
): { source: SeedBatchSource; seeded: SeededHistory } {
  const parsed = seedSchema.safeParse(options)
  if (!parsed.success) {
    throw new TypeError(`invalid seedHistory options: ${z.prettifyError(parsed.error)}`)
  }
  const o = parsed.data
  const notificationType = o.notificationType ?? 'SUBSCRIBED'
  if (o.subtype !== undefined && !isSubtypeOf(notificationType, o.subtype)) {
    throw new TypeError(`subtype ${o.subtype} does not belong to ${notificationType}`)
  }
  const endDate = o.endDate ?? context.now
  const startDate = o.startDate ?? Math.min(endDate, context.now - 86_400_000)
  const seeded: SeededHistory = {
    count: o.count,
    startDate,
    endDate,
    notificationType,
    ...(o.subtype === undefined ? {} : { subtype: o.subtype }),
    transactionId: o.transactionId ?? `2000${String(randomInt(1e11, 1e12))}`,
    sendAttemptResult: o.sendAttemptResult ?? 'SUCCESS',
  }
  const { signer, environment, bundleId, appAppleId } = context
  const source = new SeedBatchSource({
    id: context.batchId,
    count: seeded.count,
    startDate,
    endDate,
    notificationType,
    ...(seeded.subtype === undefined ? {} : { subtype: seeded.subtype }),
    transactionId: seeded.transactionId,
    sendAttemptResult: seeded.sendAttemptResult,
    sharedPayload: o.uniquePayloads !== true,
    sign: (signedDate) =>
      signer.sign({
        notificationType,
        ...(seeded.subtype === undefined ? {} : { subtype: seeded.subtype }),
        notificationUUID: randomUUID(),
        data: {
          ...(environment === 'Production' ? { appAppleId } : {}),
          bundleId,
          environment,
        },
        version: '2.0',
        signedDate,
      }),
  })
  return { source, seeded }
}
