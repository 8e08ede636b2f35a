import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, json, startVendors, type Vendors } from './helpers.js'

let vendors: Vendors
let home: string

beforeAll(async () => {
  vendors = await startVendors()
  // The files a user keeps in their home directory.
  home = await mkdtemp(join(tmpdir(), 'notiprobe-home-'))
  await mkdir(join(home, 'keys'))
  await Promise.all([
    copyFile(vendors.keyFile, join(home, 'keys', 'AuthKey.p8')),
    copyFile(vendors.rootFile, join(home, 'keys', 'root.pem')),
    copyFile(vendors.secretFile, join(home, 'sailpoint-secret')),
  ])
})

afterAll(async () => {
  await vendors.close()
})

const appleTest = ['apple', 'test', '--json']

describe.concurrent('key text as CI secrets and env files mangle it', () => {
  it.each([
    ['on one line, spaces for the line breaks', (pem: string) => pem.trim().replace(/\n/g, ' ')],
    ['with literal \\n escapes', (pem: string) => pem.trim().replace(/\n/g, '\\n')],
    ['on one line with no space at all', (pem: string) => pem.trim().replace(/\n/g, '')],
  ])('APPLE_PRIVATE_KEY %s is repaired', async (_how, mangle) => {
    const { APPLE_PRIVATE_KEY_FILE: _, ...env } = vendors.env
    const result = await cli([...appleTest, '--base-url', vendors.apple.baseUrl], {
      env: { ...env, APPLE_PRIVATE_KEY: mangle(vendors.apple.credentials.privateKeyPem) },
    })
    expect(result.code, result.stdout).toBe(0)
    expect(json(result)).toMatchObject({ ok: true })
  })
})

describe.concurrent('~ at the start of a *_FILE variable is the home directory', () => {
  it.each([
    ['APPLE_PRIVATE_KEY_FILE', '~/keys/AuthKey.p8', appleTest, 'apple'],
    [
      'APPLE_ROOT_CERTIFICATES_FILE',
      '~/keys/root.pem',
      ['apple', 'test', '--wait', '--json'],
      'apple',
    ],
    [
      'SAIL_CLIENT_SECRET_FILE',
      '~/sailpoint-secret',
      ['sailpoint', 'templates', '--no-variables', '--json'],
      'sailpoint',
    ],
  ])('%s=%s', async (variable, value, args, vendor) => {
    const env: Record<string, string> = { ...vendors.env, HOME: home, [variable]: value }
    if (variable === 'SAIL_CLIENT_SECRET_FILE') delete env.SAIL_CLIENT_SECRET
    const baseUrl = vendor === 'apple' ? vendors.apple.baseUrl : vendors.sailpoint.baseUrl
    const result = await cli([...args, '--base-url', baseUrl], { env })
    expect(result.code, result.stdout).toBe(0)
  })

  it('~user is left as written: the error names the path as given', async () => {
    const result = await cli([...appleTest, '--base-url', vendors.apple.baseUrl], {
      env: { ...vendors.env, HOME: home, APPLE_PRIVATE_KEY_FILE: '~nobody/keys/AuthKey.p8' },
    })
    expect(result.code).toBe(2)
    expect(json<{ error: { message: string } }>(result).error.message).toContain(
      'APPLE_PRIVATE_KEY_FILE: cannot read the key file ~nobody/keys/AuthKey.p8',
    )
  })
})

describe('a config file that switches every vendor off', () => {
  it('says nothing is enabled, exit 2, before any request', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notiprobe-config-'))
    const file = join(dir, 'notiprobe.config.json')
    await writeFile(file, '{"apple": false, "sailpoint": false}')
    const before =
      vendors.apple.inspect().requests.length + vendors.sailpoint.inspect().requests.length
    const result = await cli(['run', '--config', file, '--json'], { env: vendors.env })
    expect(result.code).toBe(2)
    const { error } = json<{ error: { kind: string; message: string } }>(result)
    expect(error.kind).toBe('config')
    expect(error.message).toBe(
      `Invalid config file ${file}: nothing is enabled: the file switches off "apple": false, "sailpoint": false and gives no vendor a section; run checks only the vendors the file names, so give at least one of "apple", "sailpoint" or "github" its settings`,
    )
    const after =
      vendors.apple.inspect().requests.length + vendors.sailpoint.inspect().requests.length
    expect(after).toBe(before)
  })
})
