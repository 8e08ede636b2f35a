import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, expectNoSecrets, json, startVendors, type Vendors } from './helpers.js'

let vendors: Vendors

beforeAll(async () => {
  vendors = await startVendors()
})

afterAll(async () => {
  await vendors.close()
})

/** A config file as a platform team would commit it: no secret, paths relative to it. */
async function config(name: string, body: unknown): Promise<string> {
  const file = join(vendors.dir, name)
  await writeFile(file, JSON.stringify(body, null, 2))
  return file
}

function hosts(): string[] {
  return [
    '--apple-base-url',
    vendors.apple.baseUrl,
    '--sailpoint-base-url',
    vendors.sailpoint.baseUrl,
  ]
}

const checks = [
  {
    key: 'cloud_manual_work_item_summary',
    medium: 'EMAIL',
    context: { numberOfPendingTasks: '2' },
  },
  {
    name: 'slack digest',
    key: 'cloud_manual_work_item_summary',
    medium: 'SLACK',
    context: { numberOfPendingTasks: '2' },
  },
]

describe.concurrent('notiprobe run', () => {
  it('checks every configured vendor, one JSON report and one JUnit test case per check', async () => {
    const file = await config('all.json', { timeout: '30s', apple: {}, sailpoint: { checks } })
    const junit = join(vendors.dir, 'reports', 'all.xml')
    const result = await cli(['run', '--config', file, '--junit', junit, '--json', ...hosts()], {
      env: vendors.env,
    })
    expect(result.code).toBe(0)
    const doc = json<{ ok: boolean; results: { name: string; state: string; ok: boolean }[] }>(
      result,
    )
    expect(doc.ok).toBe(true)
    expect(doc.results.map((r) => [r.name, r.state, r.ok])).toEqual([
      ['apple', 'delivered', true],
      ['sailpoint cloud_manual_work_item_summary EMAIL', 'accepted', true],
      ['slack digest', 'accepted', true],
    ])
    const xml = await readFile(junit, 'utf8')
    expect(xml).toContain('<testsuites name="notiprobe" tests="3" failures="0" errors="0"')
    expect(xml).toContain('<testcase classname="notiprobe.apple" name="apple"')
    expect(xml).toContain('<testcase classname="notiprobe.sailpoint" name="slack digest"')
    expectNoSecrets(result, vendors)
  })

  it('prints a table for people; a failing check is an error test case and the exit code says why', async () => {
    const file = await config('mixed.json', {
      apple: {},
      sailpoint: { checks: [...checks.slice(0, 1), { key: 'no_such_template', medium: 'EMAIL' }] },
    })
    const junit = join(vendors.dir, 'mixed.xml')
    const result = await cli(['run', '--config', file, '--junit', junit, ...hosts()], {
      env: vendors.env,
    })
    expect(result.code).toBe(2)
    expect(result.stdout).toMatch(/^apple\n {2}check\s+test notification\n {2}state\s+✔ delivered/m)
    expect(result.stdout).toContain('✔ delivered')
    expect(result.stdout).toContain('✖ invalid_input')
    expect(result.stderr).toContain('no_such_template')
    const xml = await readFile(junit, 'utf8')
    expect(xml).toContain('tests="3" failures="0" errors="1"')
    expect(xml).toMatch(
      /<error message="SailPoint has no notification template 'no_such_template'[^"]*" type="invalid_input">/,
    )
  })

  it('reads the vendors from the environment when there is no config file', async () => {
    const result = await cli(['run', '--json', ...hosts()], { env: vendors.env, cwd: vendors.dir })
    expect(result.code).toBe(0)
    const doc = json<{ results: { name: string }[] }>(result)
    expect(doc.results.map((r) => r.name)).toEqual(['apple'])
  })

  it('exits 2 naming the field of an invalid config file', async () => {
    const file = await config('bad.json', { sailpoint: { checks: [{ key: 'k', medium: 'SMS' }] } })
    const result = await cli(['run', '--config', file, '--json'], { env: vendors.env })
    expect(result.code).toBe(2)
    expect(json(result)).toMatchObject({
      error: {
        kind: 'config',
        message: `Invalid config file ${file}: sailpoint.checks.0.medium: must be one of EMAIL, SLACK, TEAMS (any case)`,
      },
    })
    const secret = await config('secret.json', { sailpoint: { clientSecret: 'abc', checks } })
    const refused = await cli(['run', '--config', secret], { env: vendors.env })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(
      'sailpoint.clientSecret: secrets are never read from the config file',
    )
  })

  it('exits 2 when there is nothing to run', async () => {
    const result = await cli(['run'], { env: {}, cwd: vendors.dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Nothing to run')
  })

  it('exits 3 when a vendor refuses the credentials, and still runs the others', async () => {
    const file = await config('auth.json', { apple: {}, sailpoint: { checks: checks.slice(0, 1) } })
    const result = await cli(['run', '--config', file, '--json', ...hosts()], {
      env: { ...vendors.env, SAIL_CLIENT_SECRET: 'wrong-secret-wrong-secret' },
    })
    expect(result.code).toBe(3)
    const doc = json<{ results: { vendor: string; ok: boolean; error?: { kind: string } }[] }>(
      result,
    )
    expect(doc.results.find((r) => r.vendor === 'apple')?.ok).toBe(true)
    expect(doc.results.find((r) => r.vendor === 'sailpoint')?.error?.kind).toBe('auth')
  })
})
