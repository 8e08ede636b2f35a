import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from './helpers.js'

const HOOK = resolve(import.meta.dirname, 'fixtures/record-imports.mjs')
const APPLE_FIXTURE = resolve(
  ROOT,
  'packages/apple/test/fixtures/apple-sandbox-test-notification.jws',
)
const MARK = 'file:///--- first verification ---'

// Runs in a fresh `node` against the built package, as a user's program would: builds a tester and
// a receiver, then verifies one real Apple payload. The hook logs every module resolved; the
// script writes MARK to the same log between the two phases.
const SCRIPT = `
import { appendFileSync, readFileSync } from 'node:fs'
import { generateKeyPairSync } from 'node:crypto'
const log = process.env.NOTIPROBE_IMPORT_LOG
const apple = await import('@notiprobe/apple')
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const options = { bundleId: 'com.loki-project.loki-messenger', environment: 'Sandbox' }
apple.createAppleTester({
  ...options,
  issuerId: '57246542-96fe-1a63-e053-0824d011072a',
  keyId: '2X9R4HXF34',
  privateKey,
  baseUrl: 'http://127.0.0.1:9',
})
apple.createNotificationHandler({ ...options, onNotification: () => undefined })
appendFileSync(log, ${JSON.stringify(`${MARK}\n`)})
const payload = readFileSync(process.env.APPLE_FIXTURE, 'utf8').trim()
const notification = await apple.verifySignedPayload(payload, options)
process.stdout.write(notification.notificationType)
`

// axios (its single-file CommonJS build) and the proxy agent are loaded with require, which the ESM
// hook above does not see: Node's CommonJS cache says whether they are loaded.
const LAZY_SCRIPT = `
import Module from 'node:module'
import { generateKeyPairSync } from 'node:crypto'
// The copies core depends on (axios has an older https-proxy-agent of its own).
const core = Module.createRequire(import.meta.resolve('@notiprobe/core/adapter'))
const files = [core.resolve('axios'), core.resolve('https-proxy-agent')]
const snapshot = () => files.map((file) => Module._cache[file] !== undefined)
const apple = await import('@notiprobe/apple')
const steps = [snapshot()]
const options = { bundleId: 'com.example.app', environment: 'Sandbox' }
apple.createNotificationHandler({ ...options, onNotification: () => undefined })
steps.push(snapshot())
const tester = {
  ...options,
  issuerId: '57246542-96fe-1a63-e053-0824d011072a',
  keyId: '2X9R4HXF34',
  privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
}
apple.createAppleTester({ ...tester, baseUrl: 'http://127.0.0.1:9' })
steps.push(snapshot())
apple.createAppleTester({ ...tester, proxy: 'http://127.0.0.1:9' })
steps.push(snapshot())
process.stdout.write(JSON.stringify(steps))
`

const VERIFIER_ONLY = ['@peculiar/asn1-schema', '@peculiar/asn1-x509', 'jws/compact/verify']

describe('what @notiprobe/apple loads', () => {
  it('loads the certificate parser and jose verification on the first verification, not on import', async () => {
    const log = join(await mkdtemp(join(tmpdir(), 'notiprobe-imports-')), 'imports.txt')
    const run = spawnSync(
      process.execPath,
      ['--import', HOOK, '--input-type=module', '-e', SCRIPT],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, NOTIPROBE_IMPORT_LOG: log, APPLE_FIXTURE },
        encoding: 'utf8',
      },
    )
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toBe('TEST')
    const [before = '', after = ''] = (await readFile(log, 'utf8')).split(MARK)
    expect(before).toContain('packages/apple/dist/bundle/index.js')
    expect(before).toContain('jose/dist/webapi/jwt/sign.js')
    for (const heavy of VERIFIER_ONLY) {
      expect(before, heavy).not.toContain(heavy)
      expect(after, heavy).toContain(heavy)
    }
    // Only the parts of jose the package uses, not its whole index.
    expect(before + after).not.toContain('jose/dist/webapi/index.js')
  })

  it('loads axios when a tester is made and the proxy agent when one uses a proxy, not on import', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', LAZY_SCRIPT], {
      cwd: ROOT,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    // [axios, https-proxy-agent] after: the import, a receiver, a tester, a tester with a proxy
    expect(JSON.parse(run.stdout)).toEqual([
      [false, false],
      [false, false],
      [true, false],
      [true, true],
    ])
  })
})
