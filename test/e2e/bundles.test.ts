import { spawnSync } from 'node:child_process'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from './helpers.js'

const HOOK = resolve(import.meta.dirname, 'fixtures/record-imports.mjs')

// A user's program on the built packages (no source condition): the kit's, the root's and each
// adapter's refusal must all be the one NotificationTestError class, and z from the kit must be
// what the adapters validate with.
const SCRIPT = `
const core = await import('@notiprobe/core')
const kit = await import('@notiprobe/core/adapter')
const { z } = await import('@notiprobe/core/zod')
const adapters = {
  apple: (await import('@notiprobe/apple')).createAppleTester,
  sailpoint: (await import('@notiprobe/sailpoint')).createSailPointTester,
  github: (await import('@notiprobe/github')).createGitHubTester,
}
const thrown = (run) => { try { run(); return undefined } catch (error) { return error } }
const context = { vendor: 'apple', operation: 'probe', kind: 'config', subject: 'probe options' }
const errors = {
  kit: thrown(() => kit.parseWith(z.strictObject({ a: z.string() }), { a: 1 }, context)),
  ...Object.fromEntries(Object.entries(adapters).map(([name, create]) => [name, thrown(() => create({}))])),
}
process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(errors).map(([name, error]) => [
  name,
  // instanceof alone would pass across copies (the class checks a brand): compare the class itself.
  { sameClass: error?.constructor === core.NotificationTestError, kind: error?.kind },
]))))
`

describe('the bundled packages', () => {
  it('share one NotificationTestError across core entries and adapters, and load zod only inside core', async () => {
    const log = join(await mkdtemp(join(tmpdir(), 'notiprobe-bundles-')), 'imports.txt')
    const run = spawnSync(
      process.execPath,
      ['--import', HOOK, '--input-type=module', '-e', SCRIPT],
      { cwd: ROOT, env: { PATH: process.env.PATH, NOTIPROBE_IMPORT_LOG: log }, encoding: 'utf8' },
    )
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    const one = { sameClass: true, kind: 'config' }
    expect(JSON.parse(run.stdout)).toEqual({ kit: one, apple: one, sailpoint: one, github: one })

    const loaded = (await readFile(log, 'utf8')).split('\n').filter((url) => url !== '')
    const own = loaded.filter((url) => /\/packages\/(core|apple|sailpoint|github)\//.test(url))
    expect(own.length).toBeGreaterThan(0)
    for (const url of own) expect(url).toMatch(/\/packages\/[a-z]+\/dist\/bundle\//)
    expect(loaded.filter((url) => url.includes('/zod/'))).toEqual([])
  })

  it("core's bundle carries the zod notiprobe uses, not zod's other locales", async () => {
    const dir = join(ROOT, 'packages/core/dist/bundle')
    const files = [
      ...(await readdir(dir)).filter((name) => name.endsWith('.js')),
      ...(await readdir(join(dir, 'chunks'))).map((name) => join('chunks', name)),
    ]
    const code = (await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')))).join(
      '',
    )
    // English is zod's default locale, set at load; German is one of the 60 it otherwise ships.
    expect(code).toContain('Invalid input')
    expect(code).not.toContain('Ungültige Eingabe')
  })

  it("core's third-party notice carries zod's licence as zod ships it", async () => {
    const zodRoot = dirname(
      createRequire(join(ROOT, 'packages/core/package.json')).resolve('zod/package.json'),
    )
    const licence = await readFile(join(zodRoot, 'LICENSE'), 'utf8')
    const notice = await readFile(join(ROOT, 'packages/core/THIRD-PARTY-NOTICES.md'), 'utf8')
    expect(notice).toContain(licence.trim())
  })
})
