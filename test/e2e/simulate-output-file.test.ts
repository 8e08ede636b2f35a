import { spawn } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { main, type Io } from '@notiprobe/cli'
import { describe, expect, it } from 'vitest'
import { BIN } from './helpers.js'

/**
 * `notiprobe simulate --json > simulators.json &`, then a script reads the file: the shell creates
 * it empty, and from the first byte on it must hold the whole document, never part of one.
 */
describe('simulate --json into a file', () => {
  it('writes its document to stdout in one write', async () => {
    const writes: string[] = []
    const stdout = Object.assign(new PassThrough(), { isTTY: false })
    const write = stdout.write.bind(stdout)
    stdout.write = ((chunk: string, ...rest: never[]) => {
      writes.push(chunk)
      return write(chunk, ...rest)
    }) as typeof stdout.write
    const stdin = Object.assign(Readable.from([]), { isTTY: false })
    const dir = await mkdtemp(join(tmpdir(), 'notiprobe-simulate-once-'))
    const io: Io = { stdout, stderr: new PassThrough(), stdin, env: {}, cwd: dir, now: Date.now }
    const code = await main(['simulate', '--json', '--timeout', '1ms', '--dir', dir], io, {
      on: () => undefined,
      off: () => undefined,
    })
    expect(code).toBe(0)
    expect(writes).toHaveLength(1)
    expect(writes[0]?.endsWith('}\n')).toBe(true)
    expect(JSON.parse(writes[0] ?? '')).toMatchObject({
      schemaVersion: expect.any(Number) as number,
      envFile: expect.any(String) as string,
    })
  }, 30_000)

  it('a reader polling the file sees nothing, then the whole document: never a part', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notiprobe-simulate-file-'))
    const file = join(dir, 'simulators.json')
    const shell = spawn(
      'bash',
      ['-c', `exec '${process.execPath}' '${BIN}' simulate --json --dir sim > simulators.json`],
      { cwd: dir, env: { PATH: process.env.PATH, HOME: dir }, stdio: 'ignore' },
    )
    const exited = new Promise((resolve) => shell.on('exit', resolve))
    const seen = new Set<number>()
    try {
      const deadline = Date.now() + 60_000
      for (;;) {
        let text = ''
        try {
          text = await readFile(file, 'utf8')
        } catch {
          // Not created yet.
        }
        seen.add(text.length)
        if (text !== '') {
          expect(text.endsWith('\n'), `a part of the document: ${text.length} bytes`).toBe(true)
          expect(JSON.parse(text)).toMatchObject({ envFile: expect.any(String) as string })
          break
        }
        if (Date.now() > deadline) throw new Error('simulate never wrote its document')
        await new Promise((resolve) => setImmediate(resolve))
      }
    } finally {
      shell.kill('SIGTERM')
      await exited
    }
    // The reader really looked before the document was there.
    expect(seen.has(0)).toBe(true)
    expect(seen.size).toBe(2)
  }, 90_000)
})
