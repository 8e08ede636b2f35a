import { z } from '@notiprobe/core/zod'
import { SCHEMA_VERSION } from './output.js'
import { checkReportSchema, checkResultSchema, errorJsonSchema } from './result.js'

/**
 * Every `--json` document the CLI prints, as zod schemas: the source of the JSON Schemas published
 * in `@notiprobe/cli/schemas/`. Fields notiprobe chose are listed exactly (an added field fails the
 * schema test until it is described here); what a vendor sent (a notification, a delivery) is kept
 * open, since vendors add fields.
 */

const version = { schemaVersion: z.literal(SCHEMA_VERSION) }
const vendorObject = z.record(z.string(), z.unknown())
const epochMs = z.describe(z.number(), 'epoch milliseconds')

export const errorDocument = z.meta(z.object({ ...version, error: errorJsonSchema }), {
  title: 'notiprobe --json: a command that failed',
})

export const checkResultDocument = z.meta(z.extend(checkResultSchema, version), {
  title:
    'notiprobe apple test | apple status | sailpoint test | github test | github redeliver --json: one check',
})

export const checkReportDocument = z.meta(z.extend(checkReportSchema, version), {
  title: 'notiprobe demo | run --json: every check',
})

/** One line of `apple history --json`. */
export const appleHistoryRecord = z.meta(
  z.object({
    ...version,
    notificationUUID: z.optional(z.string()),
    notificationType: z.optional(z.string()),
    subtype: z.optional(z.string()),
    signedDate: z.optional(epochMs),
    verified: z.boolean(),
    verificationError: z.optional(z.string()),
    sendAttempts: z.array(z.looseObject({ attemptDate: epochMs, sendAttemptResult: z.string() })),
    notification: z.optional(vendorObject),
    signedPayload: z.string(),
  }),
  { title: 'notiprobe apple history --json: one line per notification (NDJSON)' },
)

/** One line of `apple verify --json`: one per signed payload read. */
export const appleVerification = z.meta(
  z.object({
    ...version,
    ok: z.boolean(),
    verified: z.boolean(),
    source: z.describe(z.string(), 'Where the payload was read: the file, and the line or result.'),
    notification: z.optional(vendorObject),
    error: z.optional(errorJsonSchema),
  }),
  { title: 'notiprobe apple verify --json: one line per signed payload (NDJSON)' },
)

export const applePerformanceTest = z.meta(
  z.looseObject({ ...version, ok: z.boolean(), requestId: z.string() }),
  { title: 'notiprobe apple perf-test --json: the started test or its result' },
)

/** One line of `listen --json`, Apple's or GitHub's. */
export const listenRecord = z.meta(
  z.discriminatedUnion('type', [
    z.object({
      ...version,
      type: z.literal('listening'),
      url: z.string(),
      vendor: z.enum(['apple', 'github']),
      bundleId: z.optional(z.string()),
      environment: z.optional(z.string()),
    }),
    z.object({
      ...version,
      type: z.literal('notification'),
      receivedAt: epochMs,
      notification: vendorObject,
      signedPayload: z.describe(
        z.string(),
        'As received: `notiprobe apple verify` checks it again from this line.',
      ),
    }),
    z.looseObject({
      ...version,
      type: z.literal('delivery'),
      receivedAt: epochMs,
      name: z.string(),
      deliveryId: z.string(),
    }),
    z.object({
      ...version,
      type: z.literal('refused'),
      receivedAt: epochMs,
      error: errorJsonSchema,
    }),
  ]),
  { title: 'notiprobe listen --json: one line per event (NDJSON)' },
)

/** A variable of SailPoint's `TemplateVariablesDto`, as notiprobe passes it on. */
const templateVariable = z.object({
  key: z.string(),
  type: z.optional(z.string()),
  description: z.optional(z.string()),
  example: z.optional(z.string()),
})

export const sailPointTemplates = z.meta(
  z.object({
    ...version,
    count: z.number().check(z.int()),
    templates: z.describe(
      z.array(vendorObject),
      "As SailPoint lists them, each with `variables`: the template's own (what --context provides), or null where SailPoint had none or notiprobe did not ask; absent with --no-variables.",
    ),
    globalVariables: z.describe(
      z.optional(z.array(templateVariable)),
      'The variables SailPoint fills in itself; absent with --no-variables.',
    ),
  }),
  { title: 'notiprobe sailpoint templates --json' },
)

export const gitHubDelivery = z.meta(
  z.looseObject({ ...version, id: z.union([z.string(), z.number()]), guid: z.string() }),
  { title: 'notiprobe github deliveries --json: one line per delivery (NDJSON)' },
)

export const simulateInfo = z.meta(z.looseObject({ ...version }), {
  title: 'notiprobe simulate --json: what a client needs to reach the simulators',
})

/** Published file name → schema: `@notiprobe/cli/schemas/<name>.json`. */
export const OUTPUT_DOCUMENTS = {
  error: errorDocument,
  'check-result': checkResultDocument,
  'check-report': checkReportDocument,
  'apple-history-record': appleHistoryRecord,
  'apple-verification': appleVerification,
  'apple-perf-test': applePerformanceTest,
  'listen-record': listenRecord,
  'sailpoint-templates': sailPointTemplates,
  'github-delivery': gitHubDelivery,
  simulate: simulateInfo,
} as const satisfies Record<string, z.ZodType>
