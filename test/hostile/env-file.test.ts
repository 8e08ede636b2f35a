import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli } from '../e2e/helpers.js'

/**
 * Defect class 6: the env file `simulate` writes, and the `. <path>` line it prints, are quoted for
 * the shell: a directory named to run a command runs nothing when the file is sourced.
 */

const HOSTILE_NAMES = [
  '$(touch pwned)',
  '`touch pwned`',
  "it's a dir; touch pwned",
  'two  spaces & $HOME',
]

describe('simulate env file under hostile directory names', () => {
  for (const name of HOSTILE_NAMES) {
    it(`--dir ${JSON.stringify(name)}: sourcing runs nothing and sets every value as written`, async () => {
      const work = mkdtempSync(join(tmpdir(), 'notiprobe-envfile-'))
      const dir = join(work, name)
      const result = await cli(['simulate', '--dir', dir, '--timeout', '1s', '--json'], {
        cwd: work,
        env: {},
      })
      expect(result.code).toBe(0)
      const info = JSON.parse(result.stdout.trim().split('\n')[0] ?? '') as {
        envFile: string
        env: Record<string, string>
      }
      expect(info.envFile).toBe(join(dir, 'notiprobe.env'))
      // Source it the way the printed line says, in a clean shell, and print what it set.
      const loaded = execFileSync(
        '/bin/sh',
        [
          '-c',
          `set -a; . "$1"; set +a; printf '%s\\n' "$APPLE_PRIVATE_KEY_FILE"`,
          'sh',
          info.envFile,
        ],
        { cwd: work, env: { PATH: process.env.PATH }, encoding: 'utf8' },
      )
      expect(loaded.trim()).toBe(info.env.APPLE_PRIVATE_KEY_FILE)
      expect(existsSync(join(work, 'pwned'))).toBe(false)
      // The line people copy from the file's header runs nothing either.
      const header = readFileSync(info.envFile, 'utf8').split('\n')[0] ?? ''
      const command = header.replace(/^# notiprobe simulate: load with {2}/, '')
      execFileSync('/bin/sh', ['-c', `${command}; printf '%s' "$APPLE_BUNDLE_ID"`], {
        cwd: work,
        env: { PATH: process.env.PATH },
      })
      expect(existsSync(join(work, 'pwned'))).toBe(false)
    })
  }

  it('refuses a directory name with a line break, naming --dir', async () => {
    const work = mkdtempSync(join(tmpdir(), 'notiprobe-envfile-'))
    const result = await cli(
      ['simulate', '--dir', join(work, 'a\ntouch pwned'), '--timeout', '1s'],
      {
        cwd: work,
        env: {},
      },
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--dir: the directory name holds a control character')
    expect(existsSync(join(work, 'pwned'))).toBe(false)
  })
})
