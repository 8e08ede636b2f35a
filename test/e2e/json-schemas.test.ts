import { createServer } from 'node:http'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGitHubSimulator, type GitHubSimulator } from '@notiprobe/simulator'
import { sign } from '@octokit/webhooks-methods'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeServer, listen } from '../support/servers.js'
import {
  ROOT,
  cli,
  startAcknowledgerWithMessage,
  startCli,
  startVendors,
  type CliResult,
  type Vendors,
} from './helpers.js'

/**
 * The JSON Schemas published in @notiprobe/cli/schemas/ hold for what the built binary really
 * prints: each command's --json output is validated with ajv (a validator no one here wrote).
 * Objects notiprobe defines allow no other field, so a field added to the output without the
 * schema fails here.
 */
const SCHEMAS = join(ROOT, 'packages/cli/schemas')
const ajv = new Ajv2020({
  strict: true,
  allowUnionTypes: true,
  allErrors: true,
  validateFormats: false,
})
const validators = new Map<string, ValidateFunction>()

async function schema(name: string): Promise<ValidateFunction> {
  const known = validators.get(name)
  if (known !== undefined) return known
  const compiled = ajv.compile(JSON.parse(await readFile(join(SCHEMAS, `${name}.json`), 'utf8')))
  validators.set(name, compiled)
  return compiled
}

/** Every line of the output valid against `name` (or against `error.json` when it is an error). */
async function expectValid(result: CliResult, name: string): Promise<Record<string, unknown>[]> {
  const lines = result.stdout.split('\n').filter((line) => line !== '')
  expect(lines.length, result.stderr).toBeGreaterThan(0)
  const docs = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  for (const doc of docs) {
    const validate = await schema(isErrorDocument(doc) ? 'error' : name)
    expect(validate(doc) ? [] : validate.errors, JSON.stringify(doc).slice(0, 2000)).toEqual([])
    expect(doc.schemaVersion).toBe(2)
  }
  return docs
}

/** `{"schemaVersion": 2, "error": {...}}`: what any command prints when it fails. */
function isErrorDocument(doc: Record<string, unknown>): boolean {
  return Object.keys(doc).every((key) => key === 'schemaVersion' || key === 'error')
}

let vendors: Vendors
let github: GitHubSimulator
let receiver: ReturnType<typeof createServer>
let hookId: number
let appleBase: string[]

beforeAll(async () => {
  vendors = await startVendors()
  github = await startGitHubSimulator({ rateLimits: 'off' })
  receiver = createServer((_req, res) => res.writeHead(200).end('ok'))
  hookId = github.createHook({
    target: { owner: 'octo', repo: 'hello' },
    url: await listen(receiver),
  }).id
  appleBase = ['--base-url', vendors.apple.baseUrl]
})

afterAll(async () => {
  await Promise.all([vendors.close(), github.close(), closeServer(receiver)])
})

describe.concurrent('published JSON Schemas hold for the real output', () => {
  it('demo --json: check-report.json', async () => {
    const result = await cli(['demo', '--json'], { killAfterMs: 60_000 })
    expect(result.code).toBe(0)
    const [doc] = await expectValid(result, 'check-report')
    expect(doc?.results).toHaveLength(5)
  })

  it('run --json (a pass, an error): check-report.json, and its JUnit and log carry the same advice', async () => {
    const file = join(vendors.dir, 'schema-run.json')
    await writeFile(
      file,
      JSON.stringify({
        $schema: '../node_modules/@notiprobe/cli/schemas/config.json',
        apple: {},
        sailpoint: {
          checks: [
            {
              key: 'cloud_manual_work_item_summary',
              medium: 'email',
              context: { numberOfPendingTasks: '1' },
            },
            { key: 'no_such_template', medium: 'EMAIL' },
          ],
        },
      }),
    )
    const hosts = [
      '--apple-base-url',
      vendors.apple.baseUrl,
      '--sailpoint-base-url',
      vendors.sailpoint.baseUrl,
    ]
    const junit = join(vendors.dir, 'schema-run.xml')
    const result = await cli(['run', '--config', file, '--json', '--junit', junit, ...hosts], {
      env: vendors.env,
    })
    expect(result.code).toBe(2)
    const [doc] = await expectValid(result, 'check-report')
    const results = doc?.results as { ok: boolean; error?: { hint: string; message: string } }[]
    expect(results.map((r) => r.ok)).toEqual([true, true, false])
    const hint = results[2]?.error?.hint ?? ''
    expect(hint).toContain('nothing was sent')

    const xml = await readFile(junit, 'utf8')
    expect(xml).toContain(`what to do: ${hint}`)
    const human = await cli(['run', '--config', file, ...hosts], { env: vendors.env })
    expect(human.stderr).toContain(`what to do ${hint}`)
    expect(human.stderr).toContain(results[2]?.error?.message ?? '?')
  })

  it('apple test, test --wait, status: check-result.json, the ticket with its request time', async () => {
    const sent = await cli(['apple', 'test', '--json', ...appleBase], { env: vendors.env })
    const [ticketDoc] = await expectValid(sent, 'check-result')
    expect(ticketDoc).toMatchObject({ ok: true, state: 'sent', vendor: 'apple' })
    const ticket = ticketDoc?.ticket as { id: string; requestedAt: string }
    expect(Date.parse(ticket.requestedAt)).toBeGreaterThan(Date.now() - 60_000)

    const waited = await cli(['apple', 'test', '--wait', '--json', ...appleBase], {
      env: vendors.env,
    })
    const [outcome] = await expectValid(waited, 'check-result')
    expect(outcome).toMatchObject({ ok: true, state: 'delivered', check: 'test notification' })

    const status = await cli(['apple', 'status', ticket.id, '--json', ...appleBase], {
      env: vendors.env,
    })
    const [statusDoc] = await expectValid(status, 'check-result')
    // A bare token says nothing about when it was requested: null, never a made-up time.
    expect(statusDoc?.ticket).toMatchObject({ id: ticket.id, requestedAt: null })
  })

  it('sailpoint test and templates: check-result.json and sailpoint-templates.json', async () => {
    const base = ['--base-url', vendors.sailpoint.baseUrl]
    const sent = await cli(
      [
        'sailpoint',
        'test',
        '--key',
        'cloud_manual_work_item_summary',
        '--medium',
        'EMAIL',
        '--context',
        '{"numberOfPendingTasks":"1"}',
        '--json',
        ...base,
      ],
      { env: vendors.env },
    )
    const [doc] = await expectValid(sent, 'check-result')
    expect(doc).toMatchObject({
      state: 'accepted',
      name: 'sailpoint cloud_manual_work_item_summary EMAIL',
    })
    await expectValid(
      await cli(['sailpoint', 'templates', '--json', ...base], { env: vendors.env }),
      'sailpoint-templates',
    )
  })

  it('github test (sent and --wait) and deliveries: check-result.json and github-delivery.json', async () => {
    const env = { GITHUB_TOKEN: github.credentials.token, GITHUB_API_URL: github.baseUrl }
    const target = ['--repo', 'octo/hello', '--hook-id', String(hookId)]
    await expectValid(await cli(['github', 'test', ...target, '--json'], { env }), 'check-result')
    const waited = await cli(['github', 'test', ...target, '--wait', '--json'], { env })
    const [doc] = await expectValid(waited, 'check-result')
    expect(doc).toMatchObject({ ok: true, state: 'delivered', check: 'webhook ping' })
    const deliveries = await expectValid(
      await cli(['github', 'deliveries', ...target, '--json'], { env }),
      'github-delivery',
    )
    const id = String(deliveries[0]?.id)
    const redelivered = await cli(['github', 'redeliver', id, ...target, '--json'], { env })
    expect((await expectValid(redelivered, 'check-result'))[0]).toMatchObject({ ok: true })
    const confirmed = await cli(['github', 'redeliver', id, ...target, '--wait', '--json'], { env })
    expect((await expectValid(confirmed, 'check-result'))[0]).toMatchObject({
      ok: true,
      state: 'delivered',
    })
  })

  it('apple history, verify and perf-test: their own schemas', async () => {
    await cli(['apple', 'test', '--wait', '--json', ...appleBase], { env: vendors.env })
    const history = await cli(['apple', 'history', '--since', '1h', '--json', ...appleBase], {
      env: vendors.env,
    })
    await expectValid(history, 'apple-history-record')
    await expectValid(
      await cli(['apple', 'verify', '--json'], { env: vendors.env, input: history.stdout }),
      'apple-verification',
    )
    // The performance test needs the app's realtime URL: its own simulator, with one set.
    const realtime = await startAcknowledgerWithMessage()
    const local = await startVendors({ apple: { realtimeUrl: realtime.url } })
    try {
      const perfTest = ['apple', 'perf-test', '--original-transaction-id', '2000000123456789']
      const localBase = ['--base-url', local.apple.baseUrl]
      const started = await cli([...perfTest, '--json', ...localBase], { env: local.env })
      expect((await expectValid(started, 'apple-perf-test'))[0]).toMatchObject({ ok: true })
      const waited = await cli([...perfTest, '--wait', '--json', ...localBase], {
        env: local.env,
        killAfterMs: 60_000,
      })
      expect((await expectValid(waited, 'apple-perf-test'))[0]).toMatchObject({
        ok: true,
        result: 'PASS',
      })
    } finally {
      await Promise.all([local.close(), realtime.close()])
    }
  })

  it('listen (Apple and GitHub) and simulate: listen-record.json and simulate.json', async () => {
    const listening = startCli(['listen', '--json', '--port', '0', '--timeout', '2s'], {
      env: vendors.env,
    })
    const ready = JSON.parse(await listening.firstLine) as { url: string }
    await fetch(ready.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"signedPayload":"a.b.c"}',
    })
    const listened = await listening.done
    const records = await expectValid(listened, 'listen-record')
    expect(records.map((r) => r.type)).toEqual(['listening', 'refused'])

    // GitHub webhooks, signed by Octokit's own signing function: a verified ping and a forgery.
    const dir = await mkdtemp(join(tmpdir(), 'notiprobe-schemas-'))
    try {
      const secretFile = join(dir, 'webhook-secret.txt')
      await writeFile(secretFile, 'schema-secret\n')
      const hooks = startCli(
        ['listen', '--json', '--port', '0', '--timeout', '2s', '--github-secret-file', secretFile],
        { env: vendors.env },
      )
      const hooksUrl = (JSON.parse(await hooks.firstLine) as { url: string }).url
      const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: hookId })
      for (const signature of [await sign('schema-secret', body), await sign('wrong', body)]) {
        await fetch(hooksUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'ping',
            'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
            'x-hub-signature-256': signature,
          },
          body,
        })
      }
      const webhooks = await expectValid(await hooks.done, 'listen-record')
      expect(webhooks.map((r) => r.type)).toEqual(['listening', 'delivery', 'refused'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }

    const simulating = startCli(['simulate', '--json', '--timeout', '1s'])
    await simulating.firstLine
    await expectValid(await simulating.done, 'simulate')
  })

  it('errors: error.json, with the hint the log prints', async () => {
    const result = await cli(['apple', 'test', '--json'], { env: {} })
    expect(result.code).toBe(2)
    const [doc] = await expectValid(result, 'error')
    expect(doc?.error).toMatchObject({
      kind: 'config',
      hint: expect.stringContaining('nothing was sent') as unknown,
    })
    const parse = await cli(['apple', 'test', '--no-such-option', '--json'])
    await expectValid(parse, 'error')
  })

  it('a field the schema does not describe fails it (the schemas are closed where notiprobe chose the fields)', async () => {
    const sent = await cli(['apple', 'test', '--json', ...appleBase], { env: vendors.env })
    const doc = JSON.parse(sent.stdout) as Record<string, unknown>
    const result = await schema('check-result')
    expect(result(doc)).toBe(true)
    expect(result({ ...doc, extra: 1 })).toBe(false)
    expect(result({ ...doc, timings: { ...(doc.timings as object), extra: 1 } })).toBe(false)
    const report = await schema('check-report')
    const { schemaVersion: _v, ...inner } = doc
    const base = { schemaVersion: 2, ok: true, timings: doc.timings }
    expect(report({ ...base, results: [inner] })).toBe(true)
    expect(report({ ...base, results: [{ ...inner, extra: 1 }] })).toBe(false)
  })
})

describe('config.json', () => {
  it('accepts what the CLI accepts ($schema, any-case enums, a vendor switched off) and refuses unknown fields', async () => {
    const validate = await schema('config')
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
    const example = /## CI: `notiprobe run --junit`[\s\S]*?```json[^\n]*\n([\s\S]*?)```/.exec(
      readme,
    )?.[1]
    expect(example).toContain('"$schema"')
    expect(validate(JSON.parse(example ?? '{}')) ? [] : validate.errors).toEqual([])
    expect(validate({ $schema: 'x', apple: { environment: 'sandbox' }, github: false })).toBe(true)
    expect(validate({ apple: { environment: 'Staging' } })).toBe(false)
    expect(validate({ apple: { privateKey: 'x' } })).toBe(false)
    expect(validate({ timeout: '2m', concurrency: 2, sailpoint: { checks: [] } })).toBe(false)
  })
})
