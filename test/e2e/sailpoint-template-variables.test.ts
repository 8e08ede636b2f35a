import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cli, json, startVendors, type Vendors } from './helpers.js'

let vendors: Vendors

beforeEach(async () => {
  vendors = await startVendors()
})

afterEach(async () => {
  await vendors.close()
})

const templates = (...args: string[]) =>
  cli(['sailpoint', 'templates', '--base-url', vendors.sailpoint.baseUrl, ...args], {
    env: vendors.env,
  })

const variableRequests = () =>
  vendors.sailpoint
    .inspect()
    .requests.filter((r) => r.endpoint === 'templateVariables')
    .map((r) => r.path)

interface Listing {
  count: number
  templates: { key: string; medium: string; variables: { key: string }[] | null }[]
  globalVariables: { key: string }[]
}

describe('notiprobe sailpoint templates shows each template’s variables', () => {
  it('in the table, with the global ones SailPoint fills in itself', async () => {
    const result = await templates('--key', 'access_request_reviewer', '--medium', 'SLACK')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(
      /^ {2}variables\s+requestedForIdentityName, requestedObjectName, requesterComments, requesterName$/m,
    )
    expect(result.stdout).toContain(
      'SailPoint fills in __global.productName, __global.emailFromAddress, __recipient.name itself; --context provides the others.',
    )
    expect(variableRequests()).toEqual([
      '/notification-template-variables/v1/access_request_reviewer/SLACK',
    ])
  })

  it('in --json: each template with its variables, and the global ones once', async () => {
    const result = await templates('--key', 'cloud_manual_work_item_summary', '--json')
    expect(result.code, result.stderr).toBe(0)
    const doc = json<Listing>(result)
    expect(doc.count).toBe(4) // EMAIL en and fr, SLACK, TEAMS
    for (const template of doc.templates)
      expect(template.variables?.map((v) => v.key)).toEqual([
        'numberOfPendingTasks',
        'ownerId',
        'taskTasks',
      ])
    expect(doc.templates[0]?.variables?.[0]).toEqual({
      key: 'numberOfPendingTasks',
      type: 'string',
      description: 'How many tasks are pending.',
      example: '4',
    })
    expect(doc.globalVariables.map((v) => v.key)).toContain('__recipient.name')
    // One request per key and medium, not per locale.
    expect(variableRequests()).toHaveLength(3)
  })

  it('--no-variables lists without asking for them', async () => {
    const result = await templates('--no-variables', '--json')
    expect(result.code, result.stderr).toBe(0)
    const doc = json(result)
    expect(doc).not.toHaveProperty('globalVariables')
    expect(variableRequests()).toEqual([])
  })

  it('a template SailPoint has no variables for (404) is marked, not fatal', async () => {
    vendors.sailpoint.faults.set('templateVariables', { kind: 'status', status: 404, times: 1 })
    const human = await templates('--key', 'approval_request_notification', '--medium', 'EMAIL')
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toMatch(/^ {2}variables\s+\(not found\)$/m)
    vendors.sailpoint.faults.set('templateVariables', { kind: 'status', status: 404, times: 1 })
    const doc = json<Listing>(
      await templates('--key', 'approval_request_notification', '--medium', 'EMAIL', '--json'),
    )
    expect(doc.templates[0]?.variables).toBeNull()
  })

  it('a token without the read scope (403) exits 3, naming the scope', async () => {
    vendors.sailpoint.faults.set('templateVariables', { kind: 'status', status: 403 })
    const result = await templates('--key', 'approval_request_notification', '--json')
    expect(result.code).toBe(3)
    const { error } = json<{ error: { kind: string; message: string; operation: string } }>(result)
    expect(error.kind).toBe('forbidden')
    expect(error.message).toContain(
      'to GET /notification-template-variables/v1/approval_request_notification/EMAIL:',
    )
    expect(error.message).toContain('The token lacks scope idn:notification-templates:read')
  })
})
