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
const epochMs = z.number().describe('epoch milliseconds')

export const errorDocument = z
  .object({ ...version, error: errorJsonSchema })
  .meta({ title: 'notiprobe --json: a command that failed' })

export const checkResultDocument = checkResultSchema.extend(version).meta({
  title:
    'notiprobe apple test | apple status | sailpoint test | github test | github redeliver --json: one check',
})

export const checkReportDocument = checkReportSchema
  .extend(version)
  .meta({ title: 'notiprobe demo | run --json: every check' })

/** One line of `apple history --json`. */
export const appleHistoryRecord = z
  .object({
    ...version,
    notificationUUID: z.string().optional(),
    notificationType: z.string().optional(),
    subtype: z.string().optional(),
    signedDate: epochMs.optional(),
    verified: z.boolean(),
    verificationError: z.string().optional(),
    sendAttempts: z.array(z.looseObject({ attemptDate: epochMs, sendAttemptResult: z.string() })),
    notification: vendorObject.optional(),
    signedPayload: z.string(),
  })
  .meta({ title: 'notiprobe apple history --json: one line per notification (NDJSON)' })

/** One line of `apple verify --json`: one per signed payload read. */
export const appleVerification = z
  .object({
    ...version,
    ok: z.boolean(),
    verified: z.boolean(),
    source: z.string().describe('Where the payload was read: the file, and the line or result.'),
    notification: vendorObject.optional(),
    error: errorJsonSchema.optional(),
  })
  .meta({ title: 'notiprobe apple verify --json: one line per signed payload (NDJSON)' })

export const applePerformanceTest = z
  .looseObject({ ...version, ok: z.boolean(), requestId: z.string() })
  .meta({ title: 'notiprobe apple perf-test --json: the started test or its result' })

/** One line of `listen --json`, Apple's or GitHub's. */
export const listenRecord = z
  .discriminatedUnion('type', [
    z.object({
      ...version,
      type: z.literal('listening'),
      url: z.string(),
      vendor: z.enum(['apple', 'github']),
      bundleId: z.string().optional(),
      environment: z.string().optional(),
    }),
    z.object({
      ...version,
      type: z.literal('notification'),
      receivedAt: epochMs,
      notification: vendorObject,
      signedPayload: z
        .string()
        .describe('As received: `notiprobe apple verify` checks it again from this line.'),
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
  ])
  .meta({ title: 'notiprobe listen --json: one line per event (NDJSON)' })

/** A variable of SailPoint's `TemplateVariablesDto`, as notiprobe passes it on. */
const templateVariable = z.object({
  key: z.string(),
  type: z.string().optional(),
  description: z.string().optional(),
  example: z.string().optional(),
})

export const sailPointTemplates = z
  .object({
    ...version,
    count: z.number().int(),
    templates: z
      .array(vendorObject)
      .describe(
        "As SailPoint lists them, each with `variables`: the template's own (what --context provides), or null where SailPoint had none or notiprobe did not ask; absent with --no-variables.",
      ),
    globalVariables: z
      .array(templateVariable)
      .optional()
      .describe('The variables SailPoint fills in itself; absent with --no-variables.'),
  })
  .meta({ title: 'notiprobe sailpoint templates --json' })

export const gitHubDelivery = z
  .looseObject({ ...version, id: z.union([z.string(), z.number()]), guid: z.string() })
  .meta({ title: 'notiprobe github deliveries --json: one line per delivery (NDJSON)' })

export const simulateInfo = z
  .looseObject({ ...version })
  .meta({ title: 'notiprobe simulate --json: what a client needs to reach the simulators' })

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
