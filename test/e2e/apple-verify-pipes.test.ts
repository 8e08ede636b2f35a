import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, ROOT, cli, json, ndjson, startCli, startVendors, type Vendors } from './helpers.js'

/**
 * The tool's output is its input: what `apple status`, `apple test --wait`, `apple history` and
 * `listen` print with --json, piped as is into `apple verify`.
 */
let vendors: Vendors
let base: string[]

beforeAll(async () => {
  vendors = await startVendors()
  base = ['--base-url', vendors.apple.baseUrl]
})

afterAll(async () => {
  await vendors.close()
})

/** `notiprobe <left> | notiprobe <right>` through a real shell pipe. */
function pipe(
  left: readonly string[],
  right: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const quote = (args: readonly string[]): string =>
    args.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ')
  const node = quote([process.execPath, BIN])
  const child = spawn('sh', ['-c', `${node} ${quote(left)} | ${node} ${quote(right)}`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe.concurrent('apple verify reads notiprobe output', () => {
  it('apple status --json | apple verify: the delivered payload verifies', async () => {
    const sent = json<{ ticket: { id: string } }>(
      await cli(['apple', 'test', '--wait', '--json', ...base], { env: vendors.env }),
    )
    const piped = await pipe(
      ['apple', 'status', sent.ticket.id, '--json', ...base],
      ['apple', 'verify', '--json'],
      vendors.env,
    )
    expect(piped.stderr).toBe('')
    expect(piped.code).toBe(0)
    expect(json(piped as never)).toMatchObject({
      schemaVersion: 2,
      ok: true,
      verified: true,
      source: 'standard input',
      notification: { notificationType: 'TEST' },
    })
  })

  it('apple test --wait --json | apple verify (human): the same facts as for a raw payload', async () => {
    const piped = await pipe(
      ['apple', 'test', '--wait', '--json', ...base],
      ['apple', 'verify'],
      vendors.env,
    )
    expect(piped.code).toBe(0)
    expect(piped.stdout).toContain('✔ Verified')
    expect(piped.stdout).toMatch(/notification\s+TEST [0-9a-f-]{36}/)
  })

  it('apple history --json | apple verify: one result per line, exit 1 when one fails', async () => {
    await cli(['apple', 'test', '--wait', '--json', ...base], { env: vendors.env })
    await cli(['apple', 'test', '--wait', '--json', ...base], { env: vendors.env })
    const history = await cli(['apple', 'history', '--since', '1h', '--json', ...base], {
      env: vendors.env,
    })
    const lines = ndjson(history)
    expect(lines.length).toBeGreaterThanOrEqual(2)

    const piped = await pipe(
      ['apple', 'history', '--since', '1h', '--json', ...base],
      ['apple', 'verify', '--json'],
      vendors.env,
    )
    expect(piped.code).toBe(0)
    const results = ndjson(piped as never)
    expect(results.length).toBeGreaterThanOrEqual(2)
    for (const [index, result] of results.entries()) {
      expect(result).toMatchObject({ verified: true, ok: true })
      expect(result.source).toMatch(new RegExp(`^standard input, line ${index + 1} \\(`))
    }

    // One line altered: that line fails, the others still verify, and the exit code is 1.
    const [first, ...rest] = history.stdout.trim().split('\n')
    const record = JSON.parse(first ?? '') as { signedPayload: string }
    const [header, payload, signature] = record.signedPayload.split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as object
    const forged = Buffer.from(JSON.stringify({ ...claims, notificationType: 'REFUND' })).toString(
      'base64url',
    )
    const altered = [
      JSON.stringify({ ...record, signedPayload: `${header}.${forged}.${signature}` }),
      ...rest,
    ].join('\n')
    const human = await cli(['apple', 'verify'], { env: vendors.env, input: altered })
    expect(human.code).toBe(1)
    expect(human.stdout).toMatch(/✖ standard input, line 1 .*\n {2}what to do .*--bundle-id/)
    expect(human.stdout).toMatch(/✔ standard input, line 2 .*TEST [0-9a-f-]{36} verified/)
    expect(human.stdout).toContain(
      `${lines.length - 1} of ${lines.length} signed payloads verified; 1 did not.`,
    )
    const asJson = ndjson(
      await cli(['apple', 'verify', '--json'], { env: vendors.env, input: altered }),
    )
    expect(asJson[0]).toMatchObject({ ok: false, verified: false, error: { kind: 'verification' } })
    expect(asJson.slice(1).every((r) => r.verified === true)).toBe(true)
  })

  it('listen --json | apple verify: each notification received verifies again from its line', async () => {
    const local = await startVendors()
    try {
      const listening = startCli(['listen', '--json', '--port', '0', '--count', '1'], {
        env: local.env,
        killAfterMs: 30_000,
      })
      const ready = JSON.parse(await listening.firstLine) as { type: string; url: string }
      expect(ready).toMatchObject({ type: 'listening', vendor: 'apple' })
      local.apple.setNotificationUrl(ready.url)
      const sent = await cli(
        ['apple', 'test', '--wait', '--json', '--base-url', local.apple.baseUrl],
        { env: local.env },
      )
      expect(sent.code).toBe(0)
      const listened = await listening.done
      expect(listened.code).toBe(0)
      const verified = await cli(['apple', 'verify', '--json'], {
        env: local.env,
        input: listened.stdout,
      })
      expect(verified.code).toBe(0)
      expect(ndjson(verified)).toEqual([
        expect.objectContaining({
          verified: true,
          source: expect.stringMatching(/^standard input, line 2 \(/) as unknown,
          notification: expect.objectContaining({ notificationType: 'TEST' }) as unknown,
        }),
      ])
    } finally {
      await local.close()
    }
  })

  it('refuses, naming what it expected: an error report, a pending status, a GitHub line, bad NDJSON', async () => {
    const cases: [string, string][] = [
      [
        '{"schemaVersion":2,"error":{"message":"Apple refused the key"}}',
        'a notiprobe error report, not a notification: Apple refused the key',
      ],
      [
        '{"schemaVersion":2,"vendor":"apple","state":"pending","timings":{}}',
        'in state pending with no signed payload',
      ],
      ['{"signedPayload":"a.b.c"}\nnot json\n', 'standard input, line 2 is not valid JSON'],
      ['[1,2]', 'is JSON array, not an object'],
      [
        '{"type":"listening","url":"x"}\n{"type":"listening","url":"y"}\n',
        'holds no signed payload',
      ],
    ]
    for (const [input, message] of cases) {
      const result = await cli(['apple', 'verify', '--json'], { env: vendors.env, input })
      expect(result.code).toBe(2)
      const { error } = json<{ error: { message: string; kind: string } }>(result)
      expect(error.kind).toBe('invalid_input')
      expect(error.message).toContain(message)
      expect(error.message).toContain('apple history, listen, demo or run')
    }
  })
})
