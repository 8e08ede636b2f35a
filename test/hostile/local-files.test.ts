import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, openSync, closeSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appleOptionsFromEnv } from '@notiprobe/apple'
import { isNotificationTestError } from '@notiprobe/core'
import { describe, expect, it } from 'vitest'
import { BIN, ROOT, cli } from '../e2e/helpers.js'
import { APPLE_KEY, appleEnv } from './hostile-vendor.js'

/**
 * Defect class 7: unbounded reads of local files. `/dev/zero`, a FIFO that never ends, standard
 * input from `/dev/zero`: each read stops at a limit fitting the file's purpose and says so.
 */

function fifo(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'notiprobe-fifo-')), 'endless')
  execFileSync('mkfifo', [path])
  return path
}

/** A writer that fills the FIFO for ever (until the reader goes away). */
function endlessWriter(path: string): () => void {
  const child = spawn('/bin/sh', ['-c', `yes notiprobe > "${path}"`], { stdio: 'ignore' })
  return () => child.kill('SIGKILL')
}

const SETTINGS = {
  APPLE_ISSUER_ID: APPLE_KEY.issuerId,
  APPLE_KEY_ID: APPLE_KEY.keyId,
  APPLE_BUNDLE_ID: 'com.example.hostile',
  APPLE_ENVIRONMENT: 'Sandbox',
}

function configError(work: () => unknown): string {
  try {
    work()
  } catch (error) {
    if (!isNotificationTestError(error)) throw error
    expect(error.kind).toBe('config')
    return error.message
  }
  throw new Error('expected a config error')
}

describe('the library refuses what is not a regular file', () => {
  it('APPLE_PRIVATE_KEY_FILE=/dev/zero', () => {
    expect(
      configError(() => appleOptionsFromEnv({ ...SETTINGS, APPLE_PRIVATE_KEY_FILE: '/dev/zero' })),
    ).toContain('is not a regular file (a pipe or a device)')
  })

  it('APPLE_PRIVATE_KEY_FILE and APPLE_ROOT_CERTIFICATES_FILE naming a FIFO, even with no writer', () => {
    const path = fifo()
    expect(
      configError(() => appleOptionsFromEnv({ ...SETTINGS, APPLE_PRIVATE_KEY_FILE: path })),
    ).toContain('is not a regular file')
    expect(
      configError(() =>
        appleOptionsFromEnv({
          ...SETTINGS,
          APPLE_PRIVATE_KEY_FILE: APPLE_KEY.file,
          APPLE_ROOT_CERTIFICATES_FILE: path,
        }),
      ),
    ).toContain('APPLE_ROOT_CERTIFICATES_FILE')
  })
})

describe('the CLI reads every file with a limit and names it', () => {
  it('run --config /dev/zero', async () => {
    const result = await cli(['run', '--config', '/dev/zero'], { env: {} })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      '--config: /dev/zero is larger than 1 MiB, the most notiprobe reads for a config file.',
    )
  })

  it('sailpoint test --context @<an endless FIFO>', async () => {
    const path = fifo()
    const stop = endlessWriter(path)
    try {
      const result = await cli(
        ['sailpoint', 'test', '--key', 'k', '--medium', 'EMAIL', '--context', `@${path}`],
        {
          env: {
            SAIL_BASE_URL: 'http://127.0.0.1:9',
            SAIL_CLIENT_ID: 'c',
            SAIL_CLIENT_SECRET: 'client-secret-x',
          },
        },
      )
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(
        'is larger than 1 MiB, the most notiprobe reads for a template context.',
      )
    } finally {
      stop()
    }
  })

  it('APPLE_PRIVATE_KEY_FILE=/dev/zero and --root-cert /dev/zero', async () => {
    const key = await cli(
      [
        'apple',
        'status',
        '4a1e8c2f-2d6e-4b8e-9f3e-5d3a1b2c3d4e',
        '--base-url',
        'http://127.0.0.1:9',
      ],
      {
        env: { ...appleEnv(), APPLE_PRIVATE_KEY_FILE: '/dev/zero' },
      },
    )
    expect(key.code).toBe(2)
    expect(key.stderr).toContain(
      'APPLE_PRIVATE_KEY_FILE: the file /dev/zero is not a regular file (a pipe or a device)',
    )
    const roots = await cli(
      [
        'apple',
        'verify',
        APPLE_KEY.file,
        '--root-cert',
        '/dev/zero',
        '--bundle-id',
        'com.example.hostile',
      ],
      {
        env: appleEnv(),
      },
    )
    expect(roots.code).toBe(2)
    expect(roots.stderr).toContain(
      '/dev/zero is larger than 1 MiB, the most notiprobe reads for PEM certificates.',
    )
  })

  it('apple verify - with standard input from /dev/zero', async () => {
    const zero = openSync('/dev/zero', 'r')
    try {
      const child = spawn(
        process.execPath,
        [BIN, 'apple', 'verify', '-', '--bundle-id', 'com.example.hostile'],
        {
          cwd: ROOT,
          env: { PATH: process.env.PATH, ...appleEnv() },
          stdio: [zero, 'ignore', 'pipe'],
        },
      )
      let stderr = ''
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      const code = await new Promise<number | null>((done) => child.on('close', done))
      clearTimeout(killer)
      expect(code).toBe(2)
      expect(stderr).toContain(
        // 16 MiB: besides a signed payload, verify reads a whole `apple history --json` stream.
        'Standard input is larger than 16 MiB, the most notiprobe reads for a signed notification or notiprobe --json output.',
      )
    } finally {
      closeSync(zero)
    }
  })

  it('a .p8 path that is too large is refused with its size', () => {
    const big = join(mkdtempSync(join(tmpdir(), 'notiprobe-big-')), 'AuthKey_BIG.p8')
    writeFileSync(big, 'x'.repeat(70_000))
    expect(
      configError(() => appleOptionsFromEnv({ ...SETTINGS, APPLE_PRIVATE_KEY_FILE: big })),
    ).toContain('is 70000 bytes, too large for a .p8 key.')
  })
})
