import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, json } from './helpers.js'

const COMMANDS = [
  ['demo'],
  ['simulate'],
  ['apple', 'test'],
  ['apple', 'status'],
  ['apple', 'history'],
  ['apple', 'perf-test'],
  ['apple', 'verify'],
  ['sailpoint', 'test'],
  ['sailpoint', 'templates'],
  ['run'],
  ['listen'],
] as const

describe.concurrent('notiprobe --help', () => {
  it('lists every command, the settings and the exit codes', async () => {
    const result = await cli(['--help'])
    expect(result.code).toBe(0)
    for (const command of COMMANDS) expect(result.stdout).toContain(`  ${command.join(' ')}`)
    expect(result.stdout).toContain('APPLE_PRIVATE_KEY_FILE')
    expect(result.stdout).toContain('SAIL_CLIENT_SECRET')
    expect(result.stdout).toMatch(/^ {2}3 {4}authentication or permission/m)
    expect(result.stdout).toMatch(/^ {2}130 {2}interrupted/m)
  })

  it.each(COMMANDS.map((command) => [command.join(' '), command] as const))(
    '%s --help shows its options, an example and the exit codes',
    async (_name, command) => {
      const result = await cli([...command, '--help'])
      expect(result.code).toBe(0)
      expect(result.stderr).toBe('')
      expect(result.stdout).toContain(`Usage: notiprobe ${command.join(' ')}`)
      expect(result.stdout).toMatch(/Examples?:\n {2}\$ notiprobe /)
      expect(result.stdout).toContain('--json')
      expect(result.stdout).toContain(
        'Exit codes: 0 ok, 1 check failed, 2 bad input, 3 auth, 4 vendor/network',
      )
    },
  )

  it('offers --base-url on every command that calls a vendor, and --timeout on each that waits', async () => {
    for (const command of [
      ['apple', 'test'],
      ['apple', 'status'],
      ['apple', 'history'],
      ['apple', 'perf-test'],
      ['sailpoint', 'test'],
      ['sailpoint', 'templates'],
    ]) {
      const { stdout } = await cli([...command, '--help'])
      expect(stdout, command.join(' ')).toContain('--base-url <url>')
      expect(stdout, command.join(' ')).toContain('--timeout <duration>')
    }
  })

  it('starts without loading a vendor package (but its dependency-free values), the simulator, ora or cli-table3', async () => {
    const log = join(await mkdtemp(join(tmpdir(), 'notiprobe-imports-')), 'imports.txt')
    const { spawnSync } = await import('node:child_process')
    const bin = resolve(import.meta.dirname, '../../packages/cli/dist/bin.js')
    const hook = resolve(import.meta.dirname, 'fixtures/record-imports.mjs')
    const run = spawnSync(process.execPath, ['--import', hook, bin, '--help'], {
      env: { PATH: process.env.PATH, NOTIPROBE_IMPORT_LOG: log },
      encoding: 'utf8',
    })
    expect(run.status).toBe(0)
    const urls = (await readFile(log, 'utf8')).split('\n')
    // The adapters' choices (mediums, API versions, environments) come from modules with no imports.
    const values = urls.filter((url) =>
      /packages\/(apple|sailpoint)\/dist\/bundle\/values\.js$/.test(url),
    )
    expect(values).toHaveLength(2)
    const loaded = urls.filter((url) => !values.includes(url)).join('\n')
    expect(loaded).toContain('commander')
    for (const heavy of [
      'packages/apple',
      'packages/sailpoint',
      'packages/simulator',
      'packages/core',
      '/ora/',
      'cli-table3',
      'axios',
      'jose',
      'zod',
    ]) {
      expect(loaded, heavy).not.toContain(heavy)
    }
  })

  it('--help answers quickly', async () => {
    const result = await cli(['--help'])
    expect(result.code).toBe(0)
    // A generous bound for a loaded CI machine; it takes about 100 ms.
    expect(result.ms).toBeLessThan(1500)
  })

  it('prints the version', async () => {
    const result = await cli(['--version'])
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('exits 2 for an unknown command or option, with JSON when asked', async () => {
    const unknown = await cli(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("unknown command 'frobnicate'")
    const option = await cli(['apple', 'test', '--nope', '--json'])
    expect(option.code).toBe(2)
    // Every --json document says which version of its shape it is.
    expect(json(option)).toEqual({
      schemaVersion: 2,
      error: {
        name: 'NotificationTestError',
        message: "Unknown option '--nope'",
        vendor: 'notiprobe',
        operation: 'notiprobe.parseArguments',
        kind: 'invalid_input',
        retryable: false,
        hint: 'Fix the option, variable or value named in the message; nothing was sent.',
      },
    })
    const none = await cli([])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('Usage: notiprobe')
    const timeout = await cli(['apple', 'test', '--timeout', 'soon'])
    expect(timeout.code).toBe(2)
    expect(timeout.stderr).toContain("option '--timeout <duration>' argument 'soon' is invalid")
  })

  it('never takes a secret as an argument', async () => {
    const result = await cli([
      'sailpoint',
      'test',
      '--client-secret',
      'x',
      '--key',
      'k',
      '--medium',
      'EMAIL',
    ])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("unknown option '--client-secret'")
    const help = await cli(['--help'])
    expect(help.stdout).not.toMatch(/--(client-secret|private-key)\b/)
  })
})
