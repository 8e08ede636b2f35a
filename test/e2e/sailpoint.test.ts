import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, expectNoSecrets, json, startVendors, type Vendors } from './helpers.js'

let vendors: Vendors
let failing: Vendors
let base: string[]

beforeAll(async () => {
  ;[vendors, failing] = await Promise.all([startVendors(), startVendors()])
  failing.sailpoint.faults.set('sendTestNotification', { kind: 'status', status: 500 })
  failing.sailpoint.faults.set('listTemplates', { kind: 'drop' })
  base = ['--base-url', vendors.sailpoint.baseUrl]
})

afterAll(async () => {
  await Promise.all([vendors.close(), failing.close()])
})

const env = (): Record<string, string> => vendors.env
const send = ['sailpoint', 'test', '--key', 'cloud_manual_work_item_summary', '--medium', 'EMAIL']
const context = ['--context', '{"numberOfPendingTasks": "3"}']

describe.concurrent('notiprobe sailpoint', () => {
  it('is accepted, and the simulator rendered the notification (--json)', async () => {
    const result = await cli([...send, ...context, '--json', ...base], { env: env() })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const doc = json(result)
    expect(doc).toMatchObject({
      ok: true,
      vendor: 'sailpoint',
      state: 'accepted',
      ticket: {
        vendor: 'sailpoint',
        details: {
          key: 'cloud_manual_work_item_summary',
          medium: 'EMAIL',
          apiVersion: 'beta',
          httpStatus: 204,
          preflight: true,
        },
      },
    })
    expect(doc.summary).toContain('SailPoint offers no delivery status')
    expect(vendors.sailpoint.outbox.some((entry) => entry.subject.startsWith('You have 3'))).toBe(
      true,
    )
    expectNoSecrets(result, vendors)
  })

  it('takes --context from a file, the secret from a file, and v1 options', async () => {
    const file = join(vendors.dir, 'context.json')
    await writeFile(file, JSON.stringify({ numberOfPendingTasks: '7' }))
    const { SAIL_CLIENT_SECRET: _secret, ...withoutSecret } = env()
    const result = await cli(
      [
        ...send,
        '--context',
        `@${file}`,
        '--api-version',
        'v1',
        '--locale',
        'fr',
        '--recipient',
        'ops@example.com',
        ...base,
      ],
      { env: { ...withoutSecret, SAIL_CLIENT_SECRET_FILE: vendors.secretFile } },
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('POST /send-test-notification/v1')
    expect(result.stdout).toMatch(/state\s+accepted/)
    const sent = vendors.sailpoint.outbox.find(
      (entry) => entry.context.numberOfPendingTasks === '7',
    )
    expect(sent).toMatchObject({
      version: 'v1',
      locale: 'fr',
      recipients: { to: ['ops@example.com'] },
    })
    expectNoSecrets(result, vendors)
  })

  it('exits 2 naming the option for a bad medium, context or key', async () => {
    const medium = await cli(['sailpoint', 'test', '--key', 'k', '--medium', 'SMS', ...base], {
      env: env(),
    })
    expect(medium.code).toBe(2)
    expect(medium.stderr).toContain("option '--medium <medium>' argument 'SMS' is invalid")

    const badJson = await cli([...send, '--context', '{nope', '--json', ...base], { env: env() })
    expect(badJson.code).toBe(2)
    expect(json(badJson)).toMatchObject({ error: { kind: 'invalid_input' } })
    expect(JSON.stringify(json(badJson))).toContain('--context: not valid JSON')

    const array = await cli([...send, '--context', '[1]', ...base], { env: env() })
    expect(array.code).toBe(2)
    expect(array.stderr).toContain('--context: expected a JSON object')

    const unknown = await cli(
      ['sailpoint', 'test', '--key', 'no_such_template', '--medium', 'EMAIL', '--json', ...base],
      {
        env: env(),
      },
    )
    expect(unknown.code).toBe(2)
    expect(JSON.stringify(json(unknown))).toContain("no notification template 'no_such_template'")

    const missingKey = await cli(['sailpoint', 'test', '--medium', 'EMAIL', '--json', ...base], {
      env: env(),
    })
    expect(missingKey.code).toBe(2)
    expect(json(missingKey)).toMatchObject({
      error: { kind: 'invalid_input', message: "Required option '--key <key>' not specified" },
    })
  })

  it('exits 2 when a required template variable is missing (SailPoint 400)', async () => {
    const result = await cli([...send, '--json', ...base], { env: env() })
    expect(result.code).toBe(2)
    expect(json(result)).toMatchObject({
      error: { vendor: 'sailpoint', kind: 'invalid_input', httpStatus: 400 },
    })
  })

  it('exits 2 naming the variable when the settings are incomplete', async () => {
    const { SAIL_CLIENT_ID: _id, ...rest } = env()
    const result = await cli([...send, ...context, ...base], { env: rest })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('SAIL_CLIENT_ID')
  })

  it('exits 3 when SailPoint refuses the credentials', async () => {
    const result = await cli([...send, ...context, '--json', ...base], {
      env: { ...env(), SAIL_CLIENT_SECRET: 'not-the-secret-at-all' },
    })
    expect(result.code).toBe(3)
    expect(json(result)).toMatchObject({ error: { vendor: 'sailpoint', kind: 'auth' } })
    expect(result.stdout).not.toContain('not-the-secret-at-all')
    const human = await cli([...send, ...context, ...base], {
      env: { ...env(), SAIL_CLIENT_SECRET: 'not-the-secret-at-all' },
    })
    expect(human.code).toBe(3)
    expect(human.stderr).toMatch(/kind\s+auth \(exit 3\)/)
    expect(human.stderr).not.toContain('not-the-secret-at-all')
  })

  it('lists templates as a table and as JSON', async () => {
    const table = await cli(['sailpoint', 'templates', '--medium', 'SLACK', ...base], {
      env: env(),
    })
    expect(table.code).toBe(0)
    expect(table.stdout).toContain('cloud_manual_work_item_summary')
    expect(table.stdout).not.toContain('EMAIL')
    // This tenant customised nothing: every template comes from the defaults list.
    // Too wide for 80 columns: one block per template.
    expect(table.stdout).toMatch(
      /^cloud_manual_work_item_summary\n {2}medium\s+SLACK\n {2}locale\s+en\n {2}list\s+default/m,
    )
    expect(table.stdout).toMatch(/\(0 customised, \d+ default\)/)
    const doc = json<{ count: number; templates: { key: string; medium: string }[] }>(
      await cli(['sailpoint', 'templates', '--json', ...base], { env: env() }),
    )
    expect(doc.count).toBe(doc.templates.length)
    expect(doc.templates).toContainEqual(
      expect.objectContaining({
        key: 'cloud_manual_work_item_summary',
        medium: 'EMAIL',
        source: 'default',
      }),
    )
  })

  it('exits 4 with the tracking id when SailPoint fails (5xx)', async () => {
    // --no-preflight: the template listing on this simulator drops connections (next test).
    const result = await cli(
      [...send, ...context, '--no-preflight', '--json', '--base-url', failing.sailpoint.baseUrl],
      {
        env: failing.env,
      },
    )
    expect(result.code).toBe(4)
    const { error } = json<{ error: Record<string, unknown> }>(result)
    expect(error).toMatchObject({ vendor: 'sailpoint', kind: 'vendor_error', httpStatus: 500 })
    expect(error.requestId).toEqual(expect.any(String))
    const human = await cli(
      [...send, ...context, '--no-preflight', '--base-url', failing.sailpoint.baseUrl],
      {
        env: failing.env,
      },
    )
    expect(human.code).toBe(4)
    expect(human.stderr).toMatch(/request id\s+\S+/)
    expect(human.stderr).toMatch(/http status\s+500/)
  })

  it('exits 4 when the connection drops', async () => {
    const result = await cli(
      ['sailpoint', 'templates', '--json', '--base-url', failing.sailpoint.baseUrl],
      {
        env: failing.env,
      },
    )
    expect(result.code).toBe(4)
    expect(json(result)).toMatchObject({ error: { vendor: 'sailpoint', kind: 'network' } })
  })
})
