import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isNotificationTestError } from '@notiprobe/core'
import { describe, expect, it } from 'vitest'
import { loadRunConfig, parseRunConfig } from '../src/config-file.js'
import type { Io } from '../src/io.js'

const FILE = '/etc/notiprobe/notiprobe.config.json'

function problem(json: unknown): string {
  try {
    parseRunConfig(json, FILE)
  } catch (error) {
    if (!isNotificationTestError(error)) throw error
    expect(error.kind).toBe('config')
    return error.message
  }
  throw new Error('expected the config to be refused')
}

describe('parseRunConfig', () => {
  it('reads a full config, durations in ms and paths absolute from the file', () => {
    const config = parseRunConfig(
      {
        timeout: '2m',
        concurrency: 2,
        apple: {
          issuerId: 'i',
          keyId: 'K',
          privateKeyFile: 'keys/AuthKey.p8',
          bundleId: 'com.example',
          environment: 'Production',
          appAppleId: 123,
          rootCertificateFiles: ['root.pem'],
        },
        sailpoint: {
          tenant: 'acme',
          clientId: 'c',
          clientSecretFile: '/run/secrets/sail',
          apiVersion: 'v1',
          checks: [{ key: 'k', medium: 'EMAIL', context: { a: 1 }, recipients: ['a@example.com'] }],
        },
      },
      FILE,
    )
    expect(config).toMatchObject({
      file: FILE,
      timeoutMs: 120_000,
      concurrency: 2,
      apple: {
        privateKeyFile: '/etc/notiprobe/keys/AuthKey.p8',
        rootCertificateFiles: ['/etc/notiprobe/root.pem'],
        environment: 'Production',
      },
      sailpoint: { clientSecretFile: '/run/secrets/sail', apiVersion: 'v1', tenant: 'acme' },
    })
    expect(config.sailpoint && config.sailpoint.checks[0]?.key).toBe('k')
  })

  it('starts a path at the home directory for ~/, as the *_FILE variables do', () => {
    const config = parseRunConfig(
      {
        apple: {
          issuerId: 'i',
          keyId: 'K',
          privateKeyFile: '~/keys/AuthKey.p8',
          bundleId: 'com.example',
          rootCertificateFiles: ['~/root.pem', '~other/root.pem'],
        },
        sailpoint: {
          tenant: 'acme',
          clientId: 'c',
          clientSecretFile: '~',
          checks: [{ key: 'k', medium: 'EMAIL' }],
        },
      },
      FILE,
      { HOME: '/home/ops' },
    )
    expect(config).toMatchObject({
      apple: {
        privateKeyFile: '/home/ops/keys/AuthKey.p8',
        // `~user` names another account's home: left as a path relative to the file.
        rootCertificateFiles: ['/home/ops/root.pem', '/etc/notiprobe/~other/root.pem'],
      },
      sailpoint: { clientSecretFile: '/home/ops' },
    })
  })

  it('takes enum values in any case, giving the vendor spelling', () => {
    const config = parseRunConfig(
      {
        apple: { environment: 'sandbox' },
        sailpoint: { apiVersion: 'V1', checks: [{ key: 'k', medium: 'email' }] },
      },
      FILE,
    )
    expect(config.apple && config.apple.environment).toBe('Sandbox')
    expect(config.sailpoint && config.sailpoint.apiVersion).toBe('v1')
    expect(config.sailpoint && config.sailpoint.checks[0]?.medium).toBe('EMAIL')
  })

  it('lets a vendor be switched off', () => {
    expect(
      parseRunConfig({ apple: false, sailpoint: { checks: [{ key: 'k', medium: 'SLACK' }] } }, FILE)
        .apple,
    ).toBe(false)
  })

  it('names the field at fault', () => {
    expect(problem({ sailpoint: { checks: [{ key: 'k', medium: 'SMS' }] } })).toBe(
      `Invalid config file ${FILE}: sailpoint.checks.0.medium: must be one of EMAIL, SLACK, TEAMS (any case)`,
    )
    expect(problem({ apple: { environment: 'Dev' } })).toContain(
      'apple.environment: must be one of Sandbox, Production (any case)',
    )
    expect(problem({ apple: { appAppleId: 'x' } })).toContain('apple.appAppleId: must be a number')
    expect(problem({ timeout: 'soon', apple: {} })).toContain('timeout: must be a duration')
    expect(problem({ sailpoint: { checks: [] } })).toContain(
      'sailpoint.checks: must hold at least one',
    )
    expect(problem({ sailpoint: { checks: [{ medium: 'EMAIL' }] } })).toContain(
      'sailpoint.checks.0.key',
    )
  })

  it('refuses unknown fields, naming them and what is allowed', () => {
    const message = problem({ apple: { bundleID: 'x' } })
    expect(message).toContain('apple: unknown field "bundleID"; allowed: issuerId, keyId')
    expect(problem({ slack: {} })).toContain('unknown field "slack"')
  })

  it('refuses secrets in the file and says where they belong', () => {
    expect(problem({ apple: { privateKey: '-----BEGIN PRIVATE KEY-----' } })).toContain(
      'apple.privateKey: secrets are never read from the config file; set APPLE_PRIVATE_KEY',
    )
    const message = problem({ sailpoint: { clientSecret: 'hunter2hunter2', checks: [] } })
    expect(message).toContain(
      'sailpoint.clientSecret: secrets are never read from the config file; set SAIL_CLIENT_SECRET',
    )
    expect(message).not.toContain('hunter2hunter2')
  })

  it('wants at least one vendor', () => {
    expect(problem({})).toContain('configure at least one vendor')
    expect(problem([])).toContain('must be an object')
  })
})

describe('loadRunConfig', () => {
  const io = (cwd: string): Io => ({ cwd }) as Io

  it('names a missing file and invalid JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notiprobe-config-'))
    await expect(loadRunConfig(io(dir), 'missing.json')).rejects.toThrow(
      `--config: cannot read ${join(dir, 'missing.json')} (no such file).`,
    )
    await writeFile(join(dir, 'bad.json'), '{"apple": ')
    await expect(loadRunConfig(io(dir), 'bad.json')).rejects.toThrow(
      `Config file ${join(dir, 'bad.json')} is not valid JSON`,
    )
    await writeFile(join(dir, 'ok.json'), '{"apple": {"bundleId": "com.example"}}')
    await expect(loadRunConfig(io(dir), 'ok.json')).resolves.toMatchObject({
      apple: { bundleId: 'com.example' },
    })
  })
})
