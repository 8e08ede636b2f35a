import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { RESULT_PREFIX } from './protocol.js'
import { TARGET_ENV, type BenchTarget } from './target.js'

export interface NodeRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  /** Epoch milliseconds (sub-millisecond precision) just before the process was spawned. */
  readonly spawnedAtEpochMs: number
  /** Spawn to exit, measured here. */
  readonly wallMs: number
}

export interface NodeRunOptions {
  readonly nodeArgs?: readonly string[]
  readonly target?: BenchTarget
  readonly env?: Readonly<Record<string, string>>
  readonly cwd?: string
  readonly timeoutMs?: number
}

export function epochNow(): number {
  return performance.timeOrigin + performance.now()
}

/** The path of a compiled bench script, relative to this file's directory (`dist/`). */
export function benchScript(relative: string): string {
  return fileURLToPath(new URL(relative, import.meta.url))
}

/** Runs `node [nodeArgs] script [args]` and collects its output. */
export function runNode(
  script: string,
  args: readonly string[] = [],
  options: NodeRunOptions = {},
): Promise<NodeRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env }
  // The orchestrator's own flags (e.g. --cpu-prof) are not the children's.
  delete env.NODE_OPTIONS
  if (options.target !== undefined) env[TARGET_ENV] = JSON.stringify(options.target)
  return new Promise((resolve, reject) => {
    const spawnedAtEpochMs = epochNow()
    const started = performance.now()
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
      env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      if (timer !== undefined) clearTimeout(timer)
      resolve({
        code,
        stdout,
        stderr,
        spawnedAtEpochMs,
        wallMs: performance.now() - started,
      })
    })
  })
}

/** The result line a bench child printed; throws with its output if it printed none. */
export function resultOf(run: NodeRun, what: string): unknown {
  const line = run.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX))
  if (run.code !== 0 || line === undefined) {
    throw new Error(
      `${what} failed (exit ${String(run.code)}):\n${run.stderr.slice(-2000)}${run.stdout.slice(-1000)}`,
    )
  }
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as unknown
}
