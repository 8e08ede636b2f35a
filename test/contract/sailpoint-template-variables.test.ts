import { createSailPointTester, type SailPointTester } from '@notiprobe/sailpoint'
import { startSailPointSimulator, type SailPointSimulator } from '@notiprobe/simulator'
import { afterEach, describe, expect, it } from 'vitest'
import { manualClock, rejectionOf, requestsTo, simOptions } from './sailpoint-helpers.js'

let sim: SailPointSimulator
let tester: SailPointTester

const READER = {
  clientId: 'defaults-reader',
  clientSecret: 'defaults-reader-secret-0123456789',
  scopes: ['idn:notification-template-defaults:read'],
}

async function setUp(apiVersion: 'beta' | 'v1' = 'beta', client?: typeof READER): Promise<void> {
  const time = manualClock()
  sim = await startSailPointSimulator({
    now: time.now,
    random: () => 0.25,
    ...(client === undefined ? {} : { clients: [client] }),
  })
  tester = createSailPointTester(
    simOptions(sim, {
      clock: time,
      random: () => 0.5,
      apiVersion,
      ...(client === undefined
        ? {}
        : { clientId: client.clientId, clientSecret: client.clientSecret }),
    }),
  )
}

afterEach(async () => {
  tester.close()
  await sim.close()
})

describe('getTemplateVariables: GET /notification-template-variables/v1/{key}/{medium}', () => {
  it.each(['beta', 'v1'] as const)(
    'reads the template’s own and the global variables, on v1 whatever the API version (%s)',
    async (apiVersion) => {
      await setUp(apiVersion)
      const variables = await tester.getTemplateVariables('cloud_manual_work_item_summary', 'SLACK')
      expect(variables.key).toBe('cloud_manual_work_item_summary')
      expect(variables.medium).toBe('SLACK')
      expect(variables.templateVariables.map((v) => v.key)).toEqual([
        'numberOfPendingTasks',
        'ownerId',
        'taskTasks',
      ])
      expect(variables.templateVariables[0]).toEqual({
        key: 'numberOfPendingTasks',
        type: 'string',
        description: 'How many tasks are pending.',
        example: '4',
      })
      expect(variables.globalVariables.map((v) => v.key)).toEqual([
        '__global.productName',
        '__global.emailFromAddress',
        '__recipient.name',
      ])
      expect(requestsTo(sim, 'templateVariables').map((r) => [r.method, r.path, r.status])).toEqual(
        [['GET', '/notification-template-variables/v1/cloud_manual_work_item_summary/SLACK', 200]],
      )
    },
  )

  it('404: a key the tenant lacks is not_found, naming the key, the medium and what to do', async () => {
    await setUp()
    const error = await rejectionOf(tester.getTemplateVariables('no_such_template', 'EMAIL'))
    expect([error.kind, error.httpStatus, error.operation, error.retryable]).toEqual([
      'not_found',
      404,
      'sailpoint.templateVariables',
      false,
    ])
    expect(error.message).toMatch(
      /^Reading the variables of a SailPoint notification template failed: SailPoint answered HTTP 404 \(404 Not found\) to GET \/notification-template-variables\/v1\/no_such_template\/EMAIL: No notification template "no_such_template" exists for medium EMAIL\. SailPoint has no EMAIL version of the template 'no_such_template' in this tenant: listTemplates\(\) lists the keys and mediums that exist\. Tracking id: [0-9a-f]{32}\.$/,
    )
    expect(error.requestId).toMatch(/^[0-9a-f]{32}$/)
  })

  it('403: a token without the read scope is forbidden, naming the scope', async () => {
    await setUp('v1', READER)
    const error = await rejectionOf(
      tester.getTemplateVariables('cloud_manual_work_item_summary', 'EMAIL'),
    )
    expect([error.kind, error.httpStatus, error.vendorCode]).toEqual([
      'forbidden',
      403,
      '403 Forbidden',
    ])
    expect(error.message).toContain(
      'The token lacks scope idn:notification-templates:read: grant it to the personal access token or OAuth client.',
    )
  })

  it('refuses a bad key or medium before any request, naming the field', async () => {
    await setUp()
    const error = await rejectionOf(
      tester.getTemplateVariables('../oauth/token', 'FAX' as unknown as 'EMAIL'),
    )
    expect(error.kind).toBe('invalid_input')
    expect(error.message).toContain('key')
    expect(error.message).toContain('medium')
    expect(requestsTo(sim, 'templateVariables')).toEqual([])
  })

  it('an answer that is not TemplateVariablesDto is invalid_response, not a crash', async () => {
    await setUp()
    sim.faults.set('templateVariables', {
      kind: 'malformed',
      malformed: 'invalid-json',
      status: 200,
    })
    const error = await rejectionOf(
      tester.getTemplateVariables('cloud_manual_work_item_summary', 'EMAIL'),
    )
    expect(error.kind).toBe('invalid_response')
    expect(error.operation).toBe('sailpoint.templateVariables')
  })
})
