import { formatDuration } from '../duration.js'
import type { Output } from './output.js'
import { adviceFor, type CheckResult } from './result.js'
import { visible } from './terminal-text.js'

/** The closing table of `demo` and `run`: vendor, check, state, evidence, time. */
export async function printReport(output: Output, results: readonly CheckResult[]): Promise<void> {
  const c = output.color
  await output.table(
    ['vendor', 'check', 'state', 'evidence', 'time'],
    results.map((result) => [
      visible(result.vendor),
      visible(result.check),
      result.ok ? c.green(`✔ ${visible(result.state)}`) : c.red(`✖ ${visible(result.state)}`),
      visible(result.evidence),
      formatDuration(result.timings.durationMs),
    ]),
  )
}

/**
 * Under the report, for each check that did not pass: the whole message and what to do, the same
 * advice JUnit carries, so a CI log alone says how to fix it. Never cut, on stderr like every error.
 */
export function printAdvice(output: Output, results: readonly CheckResult[]): void {
  const c = output.errColor
  for (const result of results) {
    const advice = adviceFor(result)
    if (advice === undefined) continue
    const message = result.error?.message
    output.note(
      `${c.red('✖')} ${visible(result.name)}: ${visible(message ?? result.evidence)}\n  ${c.dim('what to do')} ${visible(advice)}`,
    )
  }
}
