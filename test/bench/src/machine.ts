import { execFileSync } from 'node:child_process'
import { cpus, loadavg, totalmem } from 'node:os'

export interface Machine {
  readonly nproc: string
  readonly cpu: string
  readonly memory: string
  readonly freeH: string
  readonly node: string
  readonly platform: string
  readonly loadAtStart: string
  loadAtEnd?: string
}

function run(command: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync(command, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    return undefined
  }
}

export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')
}

export function describeMachine(): Machine {
  return {
    nproc: run('nproc', []) ?? String(cpus().length),
    cpu: cpus()[0]?.model ?? 'unknown',
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    freeH: run('free', ['-h']) ?? '(free not available)',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAtStart: loadAverage(),
  }
}
