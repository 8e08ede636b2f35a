import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { chmod, copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, ROOT, cli, ndjson, startCli, type RunningCli } from './helpers.js'

/**
 * The README's examples, run. Every fenced block says what it is in its info string, and each
 * kind is checked its own way:
 * - `sh run`: commands for a real account; run against `notiprobe simulate` with its env file
 *   loaded and the example account's values (PLACEHOLDERS) replaced by the simulator's.
 * - `sh script`: run as written, in one directory, one after the other.
 * - `json notiprobe.config.json` and `yaml github-actions`: the CI step runs with that file.
 * - `sh setup`, `sh development`: install and build commands, run by the setup-command test, the
 *   clean-install test and `.ci/run`; here their pnpm version and scripts must exist.
 * - `text` (output shown), `ts` (library code, as in examples/): not run.
 * Every block runs under `set -e`: a README command that stops working fails this test.
 */

const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const KINDS = [
  'sh run',
  'sh script',
  'sh setup',
  'sh development',
  'json notiprobe.config.json',
  'yaml github-actions',
  'text',
  'ts',
] as const
type Kind = (typeof KINDS)[number]

interface Block {
  readonly info: string
  readonly line: number
  readonly text: string
}

function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  let open: { info: string; line: number; lines: string[] } | undefined
  for (const [i, line] of markdown.split('\n').entries()) {
    if (open === undefined) {
      if (line.startsWith('```')) open = { info: line.slice(3).trim(), line: i + 1, lines: [] }
    } else if (line.trim() === '```') {
      blocks.push({ info: open.info, line: open.line, text: `${open.lines.join('\n')}\n` })
      open = undefined
    } else {
      open.lines.push(line)
    }
  }
  if (open !== undefined) throw new Error(`README.md:${open.line}: a code fence is never closed`)
  return blocks
}

const BLOCKS = fencedBlocks(README)
const blocksOf = (kind: Kind): Block[] => BLOCKS.filter((b) => b.info === kind)
const only = (kind: Kind): Block => {
  const [block, ...more] = blocksOf(kind)
  if (block === undefined || more.length > 0) throw new Error(`expected one ${kind} block`)
  return block
}

const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  packageManager: string
  scripts: Record<string, string>
}

/** What the simulator's `--json` document holds that these tests use. */
interface Simulators {
  envFile: string
  apple: { issuerId: string; keyId: string; bundleId: string; privateKeyFile: string }
  sailpoint: { baseUrl: string }
  github: { repository: string; hookId: number; organization: { org: string; hookId: number } }
  env: Record<string, string>
}

let simulate: RunningCli
let sim: Simulators
let work: string
let home: string
let bin: string
/** The example account's values in the README, and the simulator's in their place. */
let placeholders: [string | RegExp, string][]

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'notiprobe-readme-'))
  home = join(work, 'home')
  bin = join(work, 'bin')
  await Promise.all([mkdir(join(home, 'keys'), { recursive: true }), mkdir(bin)])
  // `notiprobe` on PATH, as the README's setup leaves it.
  const shim = join(bin, 'notiprobe')
  await writeFile(shim, `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`)
  await chmod(shim, 0o755)

  simulate = startCli(['simulate', '--json', '--dir', join(work, 'simulators')], {
    killAfterMs: 600_000,
  })
  sim = JSON.parse(await simulate.firstLine) as Simulators
  // The key "downloaded from App Store Connect" into ~/keys, where the README's example keeps it.
  await copyFile(sim.apple.privateKeyFile, join(home, 'keys', `AuthKey_${sim.apple.keyId}.p8`))
  // A delivery to redeliver, as `github deliveries` would show one.
  const ping = await cli(['github', 'test', '--wait'], { env: sim.env })
  expect(ping.code, ping.stderr).toBe(0)
  const [newest] = ndjson(
    await cli(['github', 'deliveries', '--json', '--limit', '1'], { env: sim.env }),
  )
  const deliveryId = String(newest?.id)

  placeholders = [
    ['57246542-96fe-1a63-e053-0824d011072a', sim.apple.issuerId],
    ['2X9R4HXF34', sim.apple.keyId],
    ['com.example.app', sim.apple.bundleId],
    ['"tenant": "acme"', `"baseUrl": "${sim.sailpoint.baseUrl}"`],
    ['octocat/hello-world', sim.github.repository],
    ['--org acme', `--org ${sim.github.organization.org}`],
    ['87654321', String(sim.github.organization.hookId)],
    ['12345678901', deliveryId],
    // The repository hook's id, and not the start of the delivery id above.
    [/\b12345678\b/g, String(sim.github.hookId)],
  ]
}, 60_000)

afterAll(async () => {
  simulate.child.kill('SIGTERM')
  await simulate.done
})

function withSimulatorValues(text: string): string {
  return placeholders.reduce(
    (out, [from, to]) =>
      typeof from === 'string' ? out.replaceAll(from, to) : out.replace(from, to),
    text,
  )
}

interface ShellResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs a script with bash (`set -e -o pipefail`) in its own process group, which `leave` keeps
 * alive for a later block (a background `notiprobe simulate`); the group is killed otherwise.
 */
function bash(
  script: string,
  options: { cwd: string; env: Record<string, string>; leave?: boolean },
): Promise<ShellResult & { readonly pid: number }> {
  const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], {
    cwd: options.cwd,
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: home, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const pid = child.pid ?? 0
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const killGroup = (): void => {
    try {
      process.kill(-pid, 'SIGTERM')
    } catch {
      // The group is gone already.
    }
  }
  const killer = setTimeout(killGroup, 150_000)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    // 'exit', not 'close': a background job left running still holds bash's stderr open.
    child.on('exit', (code) => {
      clearTimeout(killer)
      if (options.leave !== true) killGroup()
      setImmediate(() => resolve({ code, stdout, stderr, pid }))
    })
  })
}

describe('README.md', () => {
  it('labels every fenced block with what it is', () => {
    const unknown = BLOCKS.filter((b) => !(KINDS as readonly string[]).includes(b.info))
    expect(unknown.map((b) => `README.md:${b.line} \`\`\`${b.info}`)).toEqual([])
    for (const kind of ['sh run', 'sh script', 'json notiprobe.config.json'] as const)
      expect(blocksOf(kind).length, kind).toBeGreaterThan(0)
  })

  it('names only pnpm scripts that exist, with the pinned pnpm', () => {
    const pnpm = PACKAGE.packageManager.replace(/^pnpm@/, '')
    const setup = blocksOf('sh setup').flatMap((b) => commandsOf(b.text))
    expect(setup.length).toBeGreaterThan(0)
    for (const command of setup) {
      for (const step of command.split('&&').map((s) => s.trim())) {
        const [, version, script] = /^npx --yes pnpm@(\S+) (\S+)$/.exec(step) ?? []
        expect(version, step).toBe(pnpm)
        expect(script === 'install' || script in PACKAGE.scripts, step).toBe(true)
      }
    }
    for (const command of blocksOf('sh development').flatMap((b) => commandsOf(b.text))) {
      const [, script] = /^pnpm (?:exec |--filter \S+ )?(\S+)/.exec(command) ?? []
      if (command.startsWith('pnpm exec ') || command.startsWith('pnpm --filter ')) continue
      expect(script === 'install' || (script ?? '') in PACKAGE.scripts, command).toBe(true)
    }
  })

  it('uses each example-account value the test replaces', () => {
    for (const [from] of placeholders)
      expect(
        typeof from === 'string' ? README.includes(from) : from.test(README),
        String(from),
      ).toBe(true)
  })

  it.each(blocksOf('sh run').map((b) => [`README.md:${b.line}`, b] as const))(
    '%s runs against notiprobe simulate',
    async (_where, block) => {
      const result = await bash(withSimulatorValues(block.text), { cwd: work, env: sim.env })
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0)
    },
    180_000,
  )

  it('the sh script blocks run as written, one after the other, in one directory', async () => {
    const dir = await mkdtemp(join(work, 'scripts-'))
    const scripts = blocksOf('sh script')
    const groups: number[] = []
    try {
      for (const block of scripts) {
        const result = await bash(block.text, { cwd: dir, env: {}, leave: true })
        groups.push(result.pid)
        expect(result.code, `README.md:${block.line}\n${result.stdout}\n${result.stderr}`).toBe(0)
        // curl exits 0 on an HTTP error too: the simulators answer a refused request with "error".
        expect(result.stdout, `README.md:${block.line}`).not.toContain('"error"')
      }
    } finally {
      for (const pid of groups) {
        try {
          process.kill(-pid, 'SIGTERM')
        } catch {
          // Gone already.
        }
      }
    }
    // The simulate script follows a test notification to its delivery.
    const simulateLog = JSON.parse(await readFile(join(dir, 'simulators.json'), 'utf8')) as {
      apple: { baseUrl: string }
    }
    expect(simulateLog.apple.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  }, 180_000)

  it('the CI step runs every check of the config file and writes its JUnit report', async () => {
    const dir = await mkdtemp(join(work, 'ci-'))
    await writeFile(
      join(dir, 'notiprobe.config.json'),
      withSimulatorValues(only('json notiprobe.config.json').text),
    )
    const steps = ciSteps(only('yaml github-actions').text)
    const commands = steps.filter((s) => !s.run.startsWith('npx --yes pnpm@'))
    expect(commands).toHaveLength(1)
    const [step] = commands
    if (step === undefined) throw new Error('no CI step runs notiprobe')
    const key = await readFile(sim.apple.privateKeyFile, 'utf8')
    // What the CI's variables and secrets hold, from the simulator; and where the vendors are.
    const env: Record<string, string> = {
      APPLE_BASE_URL: sim.env.APPLE_BASE_URL ?? '',
      APPLE_ROOT_CERTIFICATES_FILE: sim.env.APPLE_ROOT_CERTIFICATES_FILE ?? '',
    }
    for (const [name, source] of Object.entries(step.env)) {
      const value = source === 'APPLE_PRIVATE_KEY' ? key : sim.env[source]
      expect(value, `${name}: \${{ …${source} }} has no simulator value`).toBeDefined()
      env[name] = value ?? ''
    }
    const result = await bash(step.run, { cwd: dir, env })
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0)
    const report = await readFile(join(dir, step.report ?? 'missing'), 'utf8')
    const checks = JSON.parse(only('json notiprobe.config.json').text) as {
      sailpoint: { checks: unknown[] }
    }
    expect(report).toContain(`tests="${1 + checks.sailpoint.checks.length}"`)
    expect(report).toContain('failures="0"')
    expect(report).toContain('errors="0"')
  }, 180_000)
})

/** The commands of a shell block: comments and continuation lines joined, blank lines dropped. */
function commandsOf(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

interface CiStep {
  readonly run: string
  /** Each variable and the CI variable or secret it is read from. */
  readonly env: Record<string, string>
  /** The JUnit file a later step reads. */
  readonly report: string | undefined
}

/** The `run:` steps of a GitHub Actions snippet, with their `env:`; enough YAML for the README. */
function ciSteps(yaml: string): CiStep[] {
  const steps: { run: string; env: Record<string, string> }[] = []
  let report: string | undefined
  for (const line of yaml.split('\n')) {
    const run = /^- run: (.*?)(?:\s+#.*)?$/.exec(line)
    if (run) steps.push({ run: run[1] ?? '', env: {} })
    const variable = /^\s+([A-Z_]+): \$\{\{ (?:vars|secrets)\.([A-Z_]+) \}\}$/.exec(line)
    const last = steps.at(-1)
    if (variable && last) last.env[variable[1] ?? ''] = variable[2] ?? ''
    report = /report_paths: ([^\s}]+)/.exec(line)?.[1] ?? report
  }
  return steps.map((step) => ({ ...step, report }))
}
