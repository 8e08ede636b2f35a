import { createHash } from 'node:crypto'
import { z } from 'zod'

export type SailPointMedium = 'EMAIL' | 'SLACK' | 'TEAMS'
export const SAILPOINT_MEDIUMS: readonly SailPointMedium[] = ['EMAIL', 'SLACK', 'TEAMS']

/** A variable a template reads from the send-test `context`. */
export interface TemplateVariable {
  key: string
  type: 'string' | 'number' | 'boolean' | 'object' | 'list'
  description: string
  /** A required variable must be in `context`, or send-test answers 400. */
  required?: boolean
  example?: unknown
}

/** One rendering of a template: for one medium and one locale. */
export interface TemplateVariant {
  medium: SailPointMedium
  /** BCP 47 language tag, e.g. `en`. */
  locale: string
  subject: string
  body: string
}

/** A notification template: one key, several medium/locale variants. */
export interface SailPointTemplate {
  key: string
  name: string
  description: string
  variables: readonly TemplateVariable[]
  variants: readonly TemplateVariant[]
}

export const templateSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9_]+$/, 'a template key is lower snake case'),
  name: z.string().min(1),
  description: z.string(),
  variables: z.array(
    z.strictObject({
      key: z.string().min(1),
      type: z.enum(['string', 'number', 'boolean', 'object', 'list']),
      description: z.string(),
      required: z.boolean().optional(),
      example: z.unknown().optional(),
    }),
  ),
  variants: z
    .array(
      z.strictObject({
        medium: z.enum(['EMAIL', 'SLACK', 'TEAMS']),
        locale: z.string().min(2),
        subject: z.string(),
        body: z.string(),
      }),
    )
    .min(1),
})

/** The `from` address every simulated email carries. */
export const SIMULATED_FROM = 'no-reply@notifications.sim.invalid'

/**
 * Global variables every template may use, as SailPoint's Velocity templates do
 * (`${__global.productName}`, `$__recipient.name`).
 */
export const GLOBAL_VARIABLES: readonly TemplateVariable[] = [
  {
    key: '__global.productName',
    type: 'string',
    description: 'Display name of the product.',
    example: 'Identity Security Cloud',
  },
  {
    key: '__global.emailFromAddress',
    type: 'string',
    description: 'Address notifications are sent from.',
    example: SIMULATED_FROM,
  },
  {
    key: '__recipient.name',
    type: 'string',
    description: 'Display name of the identity receiving the notification.',
    example: 'Simulated Admin',
  },
]

// Written for the simulator: plausible templates, not SailPoint's own wording.
export const DEFAULT_TEMPLATES: readonly SailPointTemplate[] = [
  {
    key: 'cloud_manual_work_item_summary',
    name: 'Task Manager Subscription',
    description: 'Daily digest of manual work items waiting for the recipient.',
    variables: [
      {
        key: 'numberOfPendingTasks',
        type: 'string',
        description: 'How many tasks are pending.',
        required: true,
        example: '4',
      },
      { key: 'taskTasks', type: 'string', description: '"task" or "tasks".', example: 'tasks' },
      {
        key: 'ownerId',
        type: 'string',
        description: 'Identity id of the task owner.',
        example: '201327fda1c44704ac01181e963d463c',
      },
    ],
    variants: [
      {
        medium: 'EMAIL',
        locale: 'en',
        subject: 'You have $numberOfPendingTasks $taskTasks waiting in ${__global.productName}',
        body: '<p>Hello $__recipient.name,</p><p>$numberOfPendingTasks manual $taskTasks are waiting for you.</p>',
      },
      {
        medium: 'EMAIL',
        locale: 'fr',
        subject: 'Vous avez $numberOfPendingTasks tâche(s) en attente dans ${__global.productName}',
        body: '<p>Bonjour $__recipient.name,</p><p>$numberOfPendingTasks tâche(s) manuelle(s) vous attendent.</p>',
      },
      {
        medium: 'SLACK',
        locale: 'en',
        subject: 'Pending tasks',
        body: ':clipboard: $numberOfPendingTasks manual $taskTasks are waiting for you.',
      },
      {
        medium: 'TEAMS',
        locale: 'en',
        subject: 'Pending tasks',
        body: '$numberOfPendingTasks manual $taskTasks are waiting for you.',
      },
    ],
  },
  {
    key: 'access_request_reviewer',
    name: 'Access Request Reviewer',
    description: 'Tells a reviewer that an access request waits for their decision.',
    variables: [
      {
        key: 'requesterName',
        type: 'string',
        description: 'Who asked for the access.',
        required: true,
        example: 'Ada Lovelace',
      },
      {
        key: 'requestedObjectName',
        type: 'string',
        description: 'The role, access profile or entitlement requested.',
        required: true,
        example: 'Payroll Admin',
      },
      {
        key: 'requestedForIdentityName',
        type: 'string',
        description: 'Who the access is for.',
        required: true,
        example: 'Charles Babbage',
      },
      {
        key: 'requesterComments',
        type: 'string',
        description: 'The reason the requester gave.',
        example: 'Quarter-end close',
      },
    ],
    variants: [
      {
        medium: 'EMAIL',
        locale: 'en',
        subject: 'Access request for ${requestedForIdentityName} is ready for your review',
        body: '<p>${requesterName} asked for ${requestedObjectName} for ${requestedForIdentityName}.</p><p>Reason: ${requesterComments}</p>',
      },
      {
        medium: 'SLACK',
        locale: 'en',
        subject: 'Access request to review',
        body: '${requesterName} asked for ${requestedObjectName} for ${requestedForIdentityName}.',
      },
      {
        medium: 'TEAMS',
        locale: 'en',
        subject: 'Access request to review',
        body: '${requesterName} asked for ${requestedObjectName} for ${requestedForIdentityName}.',
      },
    ],
  },
  {
    key: 'access_request_decision',
    name: 'Access Request Decision',
    description: 'Tells the requester whether their access request was approved.',
    variables: [
      {
        key: 'requestedObjectName',
        type: 'string',
        description: 'The item that was requested.',
        required: true,
        example: 'Payroll Admin',
      },
      {
        key: 'decision',
        type: 'string',
        description: '"approved" or "denied".',
        required: true,
        example: 'approved',
      },
      {
        key: 'reviewerComment',
        type: 'string',
        description: 'What the reviewer wrote.',
        example: 'OK for Q3',
      },
    ],
    variants: [
      {
        medium: 'EMAIL',
        locale: 'en',
        subject: 'Your request for ${requestedObjectName} was $decision',
        body: '<p>Your request for ${requestedObjectName} was <b>$decision</b>.</p><p>$reviewerComment</p>',
      },
      {
        medium: 'EMAIL',
        locale: 'de',
        subject: 'Ihre Anfrage für ${requestedObjectName}: $decision',
        body: '<p>Ihre Anfrage für ${requestedObjectName}: <b>$decision</b>.</p>',
      },
      {
        medium: 'SLACK',
        locale: 'en',
        subject: 'Access request decision',
        body: 'Your request for ${requestedObjectName} was $decision.',
      },
    ],
  },
  {
    key: 'approval_request_notification',
    name: 'Approval Request',
    description: 'Asks an approver to act on a generic approval.',
    variables: [
      {
        key: 'approvalName',
        type: 'string',
        description: 'Display name of the approval.',
        required: true,
        example: 'Request for access to the sales application',
      },
      {
        key: 'requester',
        type: 'object',
        description: 'The identity that raised the approval (`requester.name`).',
        example: { name: 'Ada Lovelace', type: 'IDENTITY' },
      },
    ],
    variants: [
      {
        medium: 'EMAIL',
        locale: 'en',
        subject: 'Approval needed: ${approvalName}',
        body: '<p>${requester.name} needs your approval for ${approvalName}.</p>',
      },
      {
        medium: 'SLACK',
        locale: 'en',
        subject: 'Approval needed',
        body: '${requester.name} needs your approval for ${approvalName}.',
      },
      {
        medium: 'TEAMS',
        locale: 'en',
        subject: 'Approval needed',
        body: '${requester.name} needs your approval for ${approvalName}.',
      },
    ],
  },
  {
    key: 'certification_campaign_reminder',
    name: 'Certification Campaign Reminder',
    description: 'Reminds a reviewer that a certification campaign is due.',
    variables: [
      {
        key: 'campaignName',
        type: 'string',
        description: 'Name of the campaign.',
        required: true,
        example: 'Q3 manager review',
      },
      {
        key: 'deadline',
        type: 'string',
        description: 'When the campaign closes.',
        required: true,
        example: '2026-09-30',
      },
    ],
    variants: [
      {
        medium: 'EMAIL',
        locale: 'en',
        subject: 'Reminder: ${campaignName} is due on ${deadline}',
        body: '<p>The certification campaign ${campaignName} closes on ${deadline}.</p>',
      },
    ],
  },
]

/**
 * A template the tenant has modified (SailPoint: "you cannot create new templates", only customise
 * existing ones), so its key must be a default's. Name and description default to the default's.
 */
export interface CustomizedTemplate {
  key: string
  name?: string
  description?: string
  variants: readonly TemplateVariant[]
}

export const customizedTemplateSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9_]+$/, 'a template key is lower snake case'),
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  variants: templateSchema.shape.variants,
})

/** One row of the default list: a default template's variant, as `TemplateDtoDefault`. */
export interface DefaultTemplateListing {
  key: string
  name: string
  medium: SailPointMedium
  locale: string
  subject: string
  header: null
  body: string
  footer: null
  from: string
  replyTo: string
  description: string
}

/** One row of the customised list: a modified variant, as `TemplateDto` (with id and times). */
export interface TemplateListing extends DefaultTemplateListing {
  id: string
  created: string
  modified: string
}

/** When the simulated customisations were made; fixed so listings are stable across runs. */
const CUSTOMIZED_DATE = '2024-01-15T09:00:00.000Z'

/** A stable, UUID-shaped id per key/medium/locale. */
function variantId(key: string, medium: string, locale: string): string {
  const h = createHash('sha256').update(`${key}\n${medium}\n${locale}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

const byKeyMediumLocale = (a: DefaultTemplateListing, b: DefaultTemplateListing): number =>
  a.key.localeCompare(b.key) || a.medium.localeCompare(b.medium) || a.locale.localeCompare(b.locale)

function listing(
  template: { key: string; name: string; description: string },
  variant: TemplateVariant,
): DefaultTemplateListing {
  return {
    key: template.key,
    name: template.name,
    medium: variant.medium,
    locale: variant.locale,
    subject: variant.subject,
    header: null,
    body: variant.body,
    footer: null,
    from: SIMULATED_FROM,
    replyTo: SIMULATED_FROM,
    description: template.description,
  }
}

/**
 * The templates a simulated tenant has: the defaults every tenant has (built-ins, with `extra`
 * added or replacing by key), and the variants this tenant customised, which win when sending.
 */
export class TemplateCatalogue {
  readonly #defaults = new Map<string, SailPointTemplate>()
  readonly #customized = new Map<string, CustomizedTemplate>()

  constructor(
    extra: readonly SailPointTemplate[] = [],
    customized: readonly CustomizedTemplate[] = [],
  ) {
    for (const template of [...DEFAULT_TEMPLATES, ...extra])
      this.#defaults.set(template.key, template)
    for (const template of customized) {
      if (!this.#defaults.has(template.key)) {
        throw new TypeError(
          `customized template ${template.key} has no default: SailPoint only customises existing templates`,
        )
      }
      this.#customized.set(template.key, template)
    }
  }

  /** The template as a send uses it: the default, with the customised variants in place of its own. */
  get(key: string): SailPointTemplate | undefined {
    const template = this.#defaults.get(key)
    const custom = this.#customized.get(key)
    if (template === undefined || custom === undefined) return template
    const replaced = (v: TemplateVariant) =>
      custom.variants.some((c) => c.medium === v.medium && c.locale === v.locale)
    return {
      ...template,
      variants: [...custom.variants, ...template.variants.filter((v) => !replaced(v))],
    }
  }

  /** Every default variant, as `GET .../notification-template-defaults` lists them. */
  defaultListings(): DefaultTemplateListing[] {
    const rows: DefaultTemplateListing[] = []
    for (const t of this.#defaults.values()) for (const v of t.variants) rows.push(listing(t, v))
    return rows.sort(byKeyMediumLocale)
  }

  /** Only the customised variants, as `GET .../notification-templates` lists them. */
  customizedListings(): TemplateListing[] {
    const rows: TemplateListing[] = []
    for (const custom of this.#customized.values()) {
      const base = this.#defaults.get(custom.key)
      const template = {
        key: custom.key,
        name: custom.name ?? base?.name ?? custom.key,
        description: custom.description ?? base?.description ?? '',
      }
      for (const v of custom.variants) {
        rows.push({
          ...listing(template, v),
          id: variantId(custom.key, v.medium, v.locale),
          created: CUSTOMIZED_DATE,
          modified: CUSTOMIZED_DATE,
        })
      }
    }
    return rows.sort(byKeyMediumLocale)
  }
}
