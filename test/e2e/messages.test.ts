import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, json, startVendors, type Vendors } from './helpers.js'

/**
 * Messages in the user's language: errors name CLI options, variables and commands, never the
 * libraries' option names; enum values are case-insensitive everywhere.
 */
let vendors: Vendors
let base: string[]

beforeAll(async () => {
  vendors = await startVendors()
  base = ['--base-url', vendors.sailpoint.baseUrl]
})

afterAll(() => vendors.close())

const send = ['sailpoint', 'test', '--key', 'cloud_manual_work_item_summary']
const context = ['--context', '{"numberOfPendingTasks": "3"}']

describe('messages in the command line’s words', () => {
  it('enum values in any case: --medium email, --api-version V1, SAIL_API_VERSION=V1', async () => {
    const flags = await cli(
      [...send, '--medium', 'email', '--api-version', 'V1', ...context, '--json', ...base],
      {
        env: vendors.env,
      },
    )
    expect(flags.code, flags.stdout).toBe(0)
    expect(json(flags)).toMatchObject({
      ticket: { details: { medium: 'EMAIL', apiVersion: 'v1' } },
    })
    const variable = await cli([...send, '--medium', 'Slack', ...context, '--json', ...base], {
      env: { ...vendors.env, SAIL_API_VERSION: 'V1' },
    })
    expect(variable.code, variable.stdout).toBe(0)
    expect(json(variable)).toMatchObject({
      ticket: { details: { medium: 'SLACK', apiVersion: 'v1' } },
    })
    const wrong = await cli([...send, '--medium', 'fax', ...base], { env: vendors.env })
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('Allowed choices are EMAIL, SLACK, TEAMS (any case).')
  })

  it('apple verify takes --environment sandbox, and asks for --bundle-id by its option and variable', async () => {
    const result = await cli(['apple', 'verify', '--environment', 'sandbox', '--json'], {
      env: {},
      input: 'eyJ.x.y',
    })
    expect(result.code).toBe(2)
    expect(json(result)).toMatchObject({
      error: {
        kind: 'config',
        message:
          "Give the app's bundle id the payload must be for: --bundle-id com.example.app, or set APPLE_BUNDLE_ID.",
      },
    })
  })

  it('SAIL_TENANT given a URL suggests SAIL_BASE_URL', async () => {
    const result = await cli(['sailpoint', 'templates', '--json'], {
      env: { ...vendors.env, SAIL_TENANT: 'https://acme.api.identitynow.com' },
    })
    expect(result.code).toBe(2)
    expect(json(result)).toMatchObject({
      error: {
        kind: 'config',
        message:
          "SAIL_TENANT is the tenant's name (acme for https://acme.api.identitynow.com), not a URL or host: set SAIL_BASE_URL=https://acme.api.identitynow.com instead, and unset SAIL_TENANT.",
      },
    })
  })

  it('an unknown template points to `notiprobe sailpoint templates`, not listTemplates()', async () => {
    const result = await cli(
      [...send.slice(0, 3), 'no_such_template', '--medium', 'EMAIL', '--json', ...base],
      {
        env: vendors.env,
      },
    )
    expect(result.code).toBe(2)
    const { error } = json<{ error: { message: string } }>(result)
    expect(error.message).toContain('`notiprobe sailpoint templates` lists them all')
    expect(error.message).not.toContain('listTemplates()')
  })

  it('a SailPoint 404 on the API names --api-version and SAIL_BASE_URL, not apiVersion and baseUrl', async () => {
    vendors.sailpoint.faults.set('listTemplates', { kind: 'status', status: 404, times: 1 })
    const result = await cli(['sailpoint', 'templates', '--api-version', 'v1', '--json', ...base], {
      env: vendors.env,
    })
    expect(result.code).toBe(2)
    const { error } = json<{ error: { message: string } }>(result)
    expect(error.message).toContain('--api-version v1 (SAIL_API_VERSION)')
    expect(error.message).toContain('SAIL_TENANT (or SAIL_BASE_URL, --base-url; now ')
    expect(error.message).not.toMatch(/apiVersion '|baseUrl,/)
  })
})
