import { createSailPointTester, type NotificationTemplate } from '@notiprobe/sailpoint'
import {
  startSailPointSimulator,
  type CustomizedTemplate,
  type SailPointSimulator,
} from '@notiprobe/simulator'
import {
  Configuration,
  NotificationsBetaApi,
  NotificationsV2024Api,
  type SendTestNotificationRequestDtoBeta,
  type SendTestNotificationRequestDtoV2024,
  type TemplateDtoBeta,
  type TemplateDtoDefaultBeta,
} from 'sailpoint-api-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * SailPoint's official TypeScript SDK (`sailpoint-api-client`, an oracle no one here wrote) against
 * the SailPoint simulator: it fetches its token, sends test notifications on beta and on the
 * per-year v2024 path (which SailPoint maps to v1), and reads both template lists. Where the SDK
 * and the simulator could disagree, SailPoint's OpenAPI specs (sailpoint-oss/api-specs) decide.
 */

/** The fields the spec's SendTestNotificationRequestDto has on beta (since 2026-03-20) and v1. */
interface SendTestNotificationFields {
  key: string
  medium: 'EMAIL' | 'SLACK' | 'TEAMS'
  context: Record<string, unknown>
  locale: string
  recipientEmailList: string[]
  carbonCopy: string[]
  blindCarbonCopy: string[]
}

const CUSTOMIZED: CustomizedTemplate[] = [
  {
    key: 'access_request_decision',
    variants: [{ medium: 'EMAIL', locale: 'es', subject: 'Decisión', body: '<p>Decisión</p>' }],
  },
]

const SEND: SendTestNotificationFields = {
  key: 'cloud_manual_work_item_summary',
  medium: 'EMAIL',
  context: { numberOfPendingTasks: '4', taskTasks: 'tasks' },
  locale: 'fr',
  recipientEmailList: ['ops@example.com'],
  carbonCopy: ['lead@example.com'],
  blindCarbonCopy: ['audit@example.com'],
}

let sim: SailPointSimulator
let configuration: Configuration

beforeAll(async () => {
  sim = await startSailPointSimulator({ customizedTemplates: CUSTOMIZED })
  // The documented way: base URL, token URL, client id and secret; the SDK fetches a token at once.
  configuration = new Configuration({
    baseurl: sim.baseUrl,
    tokenUrl: sim.tokenUrl,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
  })
  // The SDK refuses its v2024 calls unless told they are experimental, then sends
  // `X-SailPoint-Experimental: true`, which the simulator, like a tenant, accepts.
  configuration.experimental = true
})

afterAll(async () => {
  await sim.close()
})

describe("SailPoint's SDK against the simulator", () => {
  it('gets its access token from the simulator (multipart client credentials)', async () => {
    const token = await (configuration.accessToken as Promise<string>)
    expect(token).toMatch(/^eyJ[\w-]*\.[\w-]*\.[\w-]*$/)
    expect(sim.inspect().tokenGrants).toEqual([
      expect.objectContaining({
        clientId: sim.credentials.clientId,
        credentialSource: 'multipart',
      }),
    ])
  })

  it('sends a beta test notification with locale and the address lists: 204, rendered in French', async () => {
    // SDK 1.4.15's SendTestNotificationRequestDtoBeta has only key, medium and context; SailPoint's
    // spec (api-specs idn/beta/schemas/SendTestNotificationRequestDto.yaml, 2026-03-20) added the
    // other four. The SDK model is the stale one; it sends whatever object it is given.
    const body: SendTestNotificationRequestDtoBeta = SEND
    const response = await new NotificationsBetaApi(configuration).sendTestNotification({
      sendTestNotificationRequestDtoBeta: body,
    })
    expect(response.status).toBe(204)
    const sent = sim.outbox.at(-1)
    expect(sent).toMatchObject({
      version: 'beta',
      key: SEND.key,
      locale: 'fr',
      subject: 'Vous avez 4 tâche(s) en attente dans Identity Security Cloud',
      recipients: { to: ['ops@example.com'], cc: ['lead@example.com'], bcc: ['audit@example.com'] },
    })
  })

  it('sends on the per-year v2024 path, served as v1, with the same fields', async () => {
    const body: SendTestNotificationRequestDtoV2024 = SEND
    const response = await new NotificationsV2024Api(configuration).sendTestNotification({
      sendTestNotificationRequestDtoV2024: body,
    })
    expect(response.status).toBe(204)
    expect(sim.outbox.at(-1)).toMatchObject({
      version: 'v2024',
      locale: 'fr',
      recipients: { to: ['ops@example.com'], cc: ['lead@example.com'], bcc: ['audit@example.com'] },
    })
    const request = sim.inspect().requests.at(-1)
    expect([request?.method, request?.path, request?.status]).toEqual([
      'POST',
      '/v2024/send-test-notification',
      204,
    ])
  })

  it('lists the customised templates and, separately, the defaults', async () => {
    const beta = new NotificationsBetaApi(configuration)
    const customized = (await beta.listNotificationTemplates({ limit: 250 })).data
    expect(customized.map((t) => `${t.key}/${t.medium}/${t.locale}`)).toEqual([
      'access_request_decision/EMAIL/es',
    ])
    const defaults = (
      await beta.listNotificationTemplateDefaults({
        limit: 250,
        filters: 'key sw "cloud_" and medium sw "EM"',
      })
    ).data
    expect(defaults.map((t) => `${t.key ?? ''}/${t.medium ?? ''}/${t.locale ?? ''}`)).toEqual([
      'cloud_manual_work_item_summary/EMAIL/en',
      'cloud_manual_work_item_summary/EMAIL/fr',
    ])
    const v2024 = new NotificationsV2024Api(configuration)
    expect((await v2024.listNotificationTemplates()).data).toHaveLength(1)
    expect((await v2024.listNotificationTemplateDefaults()).data.length).toBeGreaterThan(10)
  })
})

/** The adapter's fields that SailPoint's list models carry (`source` is notiprobe's own). */
type ListedField = Exclude<keyof NotificationTemplate, 'source'>
// Compile-time: every field the adapter reads is a field of the SDK's TemplateDto...
const inTemplateDto: ListedField extends keyof TemplateDtoBeta ? true : never = true
// ...and every one but the customised list's id and times is a field of TemplateDtoDefault.
const inTemplateDtoDefault: Exclude<
  ListedField,
  'id' | 'created' | 'modified'
> extends keyof TemplateDtoDefaultBeta
  ? true
  : never = true

describe("the SDK's models and the adapter's reading of the fields", () => {
  it('name the same fields', () => {
    expect([inTemplateDto, inTemplateDtoDefault]).toEqual([true, true])
  })

  it('read the same values from both lists, the adapter saying which list each came from', async () => {
    const beta = new NotificationsBetaApi(configuration)
    const sdkRows = [
      ...(await beta.listNotificationTemplates({ limit: 250 })).data.map((t) => ({
        ...t,
        source: 'customized',
      })),
      ...(await beta.listNotificationTemplateDefaults({ limit: 250 })).data.map((t) => ({
        ...t,
        id: undefined,
        created: undefined,
        modified: undefined,
        source: 'default',
      })),
    ]
    const tester = createSailPointTester({
      baseUrl: sim.baseUrl,
      ...sim.credentials,
      rateLimits: 'off',
    })
    try {
      const ours = await tester.listTemplates()
      expect(ours).toEqual(
        sdkRows.map((t) => ({
          source: t.source,
          key: t.key,
          medium: t.medium,
          locale: t.locale,
          name: t.name,
          description: t.description ?? undefined,
          subject: t.subject ?? undefined,
          id: t.id,
          created: t.created,
          modified: t.modified,
        })),
      )
    } finally {
      tester.close()
    }
  })
})
