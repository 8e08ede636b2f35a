import { parseArgs } from 'node:util'
import { WORKLOADS } from './settings.js'

export const USAGE = `Usage: pnpm bench [options]   (or node test/bench/dist/main.js [options] once built)

notiprobe against the official SDKs, the named-dependency floor and raw node:http, side by side on
the embedded simulators; prints one table of ratios.

Options:
  --only <workloads>   run only these, comma-separated: ${WORKLOADS.join(', ')}
  --runs <n>           runs (rounds, processes) per figure instead of the defaults; n ≥ 1
  --smoke              every workload, tiny and once (about 10 s): what CI runs
  --update-docs        also rewrite the Results section of docs/benchmarks.md
  --help               this text
`

export interface BenchArgs {
  readonly help: boolean
  readonly smoke: boolean
  readonly runs: number | undefined
  readonly only: string[] | undefined
  readonly updateDocs: boolean
}

/** A command line the bench cannot run: said in one line, with the usage after it. */
export class UsageError extends Error {}

export function parseBenchArgs(args: string[]): BenchArgs {
  let values
  try {
    ;({ values } = parseArgs({
      args,
      options: {
        help: { type: 'boolean', default: false },
        smoke: { type: 'boolean', default: false },
        runs: { type: 'string' },
        only: { type: 'string', multiple: true },
        'update-docs': { type: 'boolean', default: false },
      },
    }))
  } catch (error) {
    // node:util's own message names the option ("Unknown option '--x'"), without its stack.
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const runs = values.runs === undefined ? undefined : Number(values.runs)
  if (runs !== undefined && (!/^\d+$/.test(values.runs ?? '') || runs < 1)) {
    throw new UsageError(`--runs must be a whole number of at least 1, got ${values.runs}`)
  }
  const only = values.only?.flatMap((o) => o.split(','))
  for (const name of only ?? []) {
    if (!WORKLOADS.includes(name)) {
      throw new UsageError(
        `--only: unknown workload ${JSON.stringify(name)}; known: ${WORKLOADS.join(', ')}`,
      )
    }
  }
  return { help: values.help, smoke: values.smoke, runs, only, updateDocs: values['update-docs'] }
}
