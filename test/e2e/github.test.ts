import { createServer } from 'node:http'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGitHubSimulator, type GitHubSimulator } from '@notiprobe/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeServer, listen } from '../support/servers.js'
import { cli, json, ndjson, startCli, type CliResult } from './helpers.js'

let sim: GitHubSimulator
let receiverUrl: string
let failingUrl: string
let dir: string
const servers: ReturnType<typeof createServer>[] = []
let hookId: number
let failingHookId: number

beforeAll(async () => {
  sim = await startGitHubSimulator({ rateLimits: 'off' })
  const ok = createServer((_req, res) => res.writeHead(200).end('ok'))
  const failing = createServer((_req, res) => res.writeHead(500).end('receiver exploded'))
  servers.push(ok, failing)
  receiverUrl = await listen(ok)
  failingUrl = await listen(failing)
  hookId = sim.createHook({
    target: { owner: 'octo', repo: 'hello' },
    url: receiverUrl,
    secret: 's3cret-hook',
  }).id
  failingHookId = sim.createHook({ target: { owner: 'octo', repo: 'hello' }, url: failingUrl }).id
  dir = await mkdtemp(join(tmpdir(), 'notiprobe-gh-'))
})

afterAll(async () => {
  await sim.close()
  for (const server of servers) await closeServer(server)
  await rm(dir, { recursive: true, force: true })
})

const env = (): Record<string, string> => ({
  GITHUB_TOKEN: sim.credentials.token,
  GITHUB_API_URL: sim.baseUrl,
})

function expectNoGitHubSecrets(result: CliResult): void {
  const output = result.stdout + result.stderr
  const secrets = [
    sim.credentials.token,
    ...sim.credentials.app.privateKeyPem.split('\n').filter((l) => l.length > 20),
  ]
  for (const secret of secrets)
    expect(output.includes(secret), 'a secret in the output').toBe(false)
}

describe.concurrent('notiprobe github', () => {
  it('test --wait: the ping is confirmed delivered in the log (--json)', async () => {
    const result = await cli(
      ['github', 'test', '--repo', 'octo/hello', '--hook-id', String(hookId), '--wait', '--json'],
      { env: env() },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const doc = json(result)
    expect(doc).toMatchObject({
      ok: true,
      vendor: 'github',
      state: 'delivered',
      check: 'webhook ping',
      details: { delivery: { event: 'ping', status_code: 200 } },
    })
    expectNoGitHubSecrets(result)
  })

  it('test --wait against a failing receiver: exit 1, with the receiver’s answer as evidence', async () => {
    const result = await cli(
      ['github', 'test', '--repo', 'octo/hello', '--hook-id', String(failingHookId), '--wait'],
      { env: env() },
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('receiver exploded')
    expect(result.stdout).toContain('HTTP 500')
  })

  it('test without --wait: accepted, from the environment’s target (GITHUB_REPOSITORY, GITHUB_HOOK_ID)', async () => {
    const result = await cli(['github', 'test', '--json'], {
      env: { ...env(), GITHUB_REPOSITORY: 'octo/hello', GITHUB_HOOK_ID: String(hookId) },
    })
    expect(result.code).toBe(0)
    expect(json(result)).toMatchObject({
      ok: true,
      ticket: { details: { kind: 'ping', httpStatus: 204 } },
    })
  })

  it('test --app with the App’s key from a file: redelivers the newest delivery', async () => {
    sim.configureAppHook({ url: receiverUrl, contentType: 'json' })
    sim.deliverEvent(sim.appHookId, { event: 'ping' })
    await sim.idle()
    const keyFile = join(dir, 'app.pem')
    await writeFile(keyFile, sim.credentials.app.privateKeyPem)
    const result = await cli(['github', 'test', '--app', '--wait', '--json'], {
      env: {
        GITHUB_API_URL: sim.baseUrl,
        GITHUB_APP_CLIENT_ID: sim.credentials.app.clientId,
        GITHUB_APP_PRIVATE_KEY_FILE: keyFile,
      },
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(json(result)).toMatchObject({
      state: 'delivered',
      details: { delivery: { redelivery: true } },
    })
    expectNoGitHubSecrets(result)
  })

  it('deliveries --failures --json: NDJSON of failed deliveries only', async () => {
    sim.seedDeliveries(failingHookId, { count: 3, statusCode: 502 })
    const result = await cli(
      [
        'github',
        'deliveries',
        '--repo',
        'octo/hello',
        '--hook-id',
        String(failingHookId),
        '--failures',
        '--json',
      ],
      { env: env() },
    )
    expect(result.code).toBe(0)
    const rows = ndjson(result)
    expect(rows.length).toBeGreaterThanOrEqual(3)
    for (const row of rows) expect(row.status_code).toBeGreaterThanOrEqual(400)
  })

  it('deliveries as a table for people', async () => {
    const result = await cli(
      [
        'github',
        'deliveries',
        '--repo',
        'octo/hello',
        '--hook-id',
        String(failingHookId),
        '--limit',
        '2',
      ],
      { env: env() },
    )
    expect(result.code).toBe(0)
    // Off a terminal a table wider than 80 columns becomes one block per row, every value whole.
    expect(result.stdout).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:]+Z\n {2}id\s+\d+\n {2}event\s+\w+\n {2}answer\s+\d{3} /m,
    )
    expect(result.stdout.match(/^ {2}state\s+failed$/gm)).toHaveLength(2)
  })

  it('redeliver <id> --wait: the redelivery is found', async () => {
    const [seeded] = sim.seedDeliveries(hookId, { count: 1, event: 'ping' })
    const result = await cli(
      [
        'github',
        'redeliver',
        String(seeded?.id),
        '--repo',
        'octo/hello',
        '--hook-id',
        String(hookId),
        '--wait',
        '--json',
      ],
      { env: env() },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(json(result)).toMatchObject({
      state: 'delivered',
      details: { delivery: { redelivery: true, guid: seeded?.guid } },
    })
  })

  it('bad input: exit 2, naming the option or the variable', async () => {
    const both = await cli(
      ['github', 'test', '--repo', 'octo/hello', '--org', 'acme', '--hook-id', '1', '--json'],
      { env: env() },
    )
    expect(both.code).toBe(2)
    expect(json<{ error: { message: string } }>(both).error.message).toContain(
      'Give one of --repo, --org or --app',
    )
    const noHook = await cli(['github', 'test', '--repo', 'octo/hello'], { env: env() })
    expect(noHook.code).toBe(2)
    expect(noHook.stderr).toContain('--hook-id is required')
    const noToken = await cli(['github', 'test', '--repo', 'octo/hello', '--hook-id', '1'], {
      env: { GITHUB_API_URL: sim.baseUrl },
    })
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toContain('GITHUB_TOKEN')
  })

  it('a token GitHub refuses: exit 3; a hook it cannot see: the permission named', async () => {
    const refused = await cli(
      ['github', 'test', '--repo', 'octo/hello', '--hook-id', String(hookId)],
      { env: { ...env(), GITHUB_TOKEN: 'github_pat_wrong_0000000000' } },
    )
    expect(refused.code).toBe(3)
    const hidden = await cli(
      ['github', 'test', '--repo', 'octo/hello', '--hook-id', String(hookId)],
      {
        env: { ...env(), GITHUB_TOKEN: sim.createToken({ permissions: {} }) },
      },
    )
    expect(hidden.stderr).toContain('"Webhooks" (read)')
  })

  it('listen --github-secret-file: a ping verified on arrival; a forged body refused', async () => {
    const secretFile = join(dir, 'webhook-secret')
    await writeFile(secretFile, 'listen-secret-42\n')
    const listening = startCli(
      [
        'listen',
        '--port',
        '0',
        '--path',
        '/github',
        '--github-secret-file',
        secretFile,
        '--count',
        '1',
        '--json',
      ],
      { killAfterMs: 15_000 },
    )
    const ready = JSON.parse(await listening.firstLine) as { type: string; url: string }
    expect(ready).toMatchObject({ type: 'listening', vendor: 'github' })
    const forged = await fetch(ready.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': 'forged-1',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
      body: '{"zen":"forged"}',
    })
    expect(forged.status).toBe(400)
    const hook = sim.createHook({
      target: { owner: 'octo', repo: 'listen' },
      url: ready.url,
      secret: 'listen-secret-42',
    })
    const ping = await cli(
      ['github', 'test', '--repo', 'octo/listen', '--hook-id', String(hook.id), '--wait', '--json'],
      { env: env() },
    )
    expect(ping.code).toBe(0)
    const result = await listening.done
    expect(result.code).toBe(0)
    const lines = ndjson(result)
    expect(lines.map((l) => l.type)).toEqual(['listening', 'refused', 'delivery'])
    expect(lines[2]).toMatchObject({
      name: 'ping',
      deliveryId: json<{ details: { delivery: { guid: string } } }>(ping).details.delivery.guid,
    })
  })

  it('run --config with a github section: one check, in the JUnit report too', async () => {
    const config = join(dir, 'notiprobe.config.json')
    await writeFile(
      config,
      JSON.stringify({ timeout: '30s', github: { repository: 'octo/hello', hookId } }),
    )
    const junit = join(dir, 'reports', 'notiprobe.xml')
    const result = await cli(['run', '--config', config, '--junit', junit, '--json'], {
      env: env(),
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(json(result)).toMatchObject({
      ok: true,
      results: [{ name: 'github', vendor: 'github', state: 'delivered' }],
    })
    const xml = await readFile(junit, 'utf8')
    expect(xml).toContain('classname="notiprobe.github"')
    expect(xml).toContain('tests="1" failures="0" errors="0"')
  })

  it('run refuses a token written in the config file', async () => {
    const config = join(dir, 'secret.config.json')
    await writeFile(
      config,
      JSON.stringify({ github: { repository: 'octo/hello', hookId, token: 'ghp_x' } }),
    )
    const result = await cli(['run', '--config', config], { env: env() })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      'github.token: secrets are never read from the config file; set GH_TOKEN or GITHUB_TOKEN',
    )
  })
})
