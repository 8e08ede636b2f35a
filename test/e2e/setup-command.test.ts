import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from './helpers.js'

const run = promisify(execFile)

/**
 * The README's setup: `pnpm link-cli` in the clone puts `notiprobe` on PATH (into a throwaway
 * global prefix here, so the machine's own is untouched), and from then on the command works from
 * any directory, with nothing but its own output on stdout.
 */
describe('the README setup command', () => {
  let prefix: string
  let elsewhere: string
  let notiprobe: string
  const env = (): NodeJS.ProcessEnv => ({
    PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`,
    HOME: process.env.HOME,
  })

  beforeAll(async () => {
    prefix = await mkdtemp(join(tmpdir(), 'notiprobe-prefix-'))
    elsewhere = await mkdtemp(join(tmpdir(), 'notiprobe-user-'))
    notiprobe = join(prefix, 'bin', 'notiprobe')
    await run('pnpm', ['link-cli'], {
      cwd: ROOT,
      env: { ...process.env, npm_config_prefix: prefix },
    })
  }, 120_000)

  afterAll(async () => {
    await Promise.all([
      rm(prefix, { recursive: true, force: true }),
      rm(elsewhere, { recursive: true, force: true }),
    ])
  })

  it('puts a notiprobe that runs from another directory on PATH', async () => {
    const { stdout, stderr } = await run('notiprobe', ['--help'], { cwd: elsewhere, env: env() })
    expect(stderr).toBe('')
    expect(stdout).toMatch(/^Usage: notiprobe /)
    expect(notiprobe.startsWith(prefix)).toBe(true)
  })

  it('prints only the JSON document on stdout, so `notiprobe demo --json | jq .` works', async () => {
    const { stdout, stderr } = await run('notiprobe', ['demo', '--json'], {
      cwd: elsewhere,
      env: env(),
    })
    expect(stderr).toBe('')
    const lines = stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ schemaVersion: 2, ok: true })
  }, 60_000)

  it('resolves relative paths against the directory the user is in, also through `pnpm notiprobe`', async () => {
    await writeFile(join(elsewhere, 'empty.config.json'), '{}')
    const expected = `Invalid config file ${join(elsewhere, 'empty.config.json')}:`
    const linked = await run('notiprobe', ['run', '--config', 'empty.config.json', '--json'], {
      cwd: elsewhere,
      env: env(),
    }).catch((error: unknown) => error as { stdout: string; code: number })
    expect(linked.stdout).toContain(expected)
    // pnpm runs the script in the clone, and keeps where the user typed it as INIT_CWD.
    const viaPnpm = await run(
      'pnpm',
      ['--dir', ROOT, '--silent', 'notiprobe', 'run', '--config', 'empty.config.json', '--json'],
      { cwd: elsewhere, env: env() },
    ).catch((error: unknown) => error as { stdout: string; code: number })
    expect(viaPnpm.stdout).toContain(expected)
    expect(JSON.parse(viaPnpm.stdout)).toMatchObject({ error: { kind: 'config' } })
  })
})
