import type { SailPointApiVersion, SailPointMedium } from '@notiprobe/sailpoint'
import type { CommandContext, CommonOptions } from '../context.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { sailPointTester } from '../settings/sailpoint.js'
import { visible } from '../output/terminal-text.js'

export interface SailPointTemplatesOptions extends CommonOptions {
  readonly key?: string
  readonly medium?: SailPointMedium
  readonly locale?: string
  readonly apiVersion?: SailPointApiVersion
  readonly baseUrl?: string
}

/**
 * `notiprobe sailpoint templates`: the keys, mediums and locales `sailpoint test` can send, from
 * both of SailPoint's lists: the templates the tenant customised, then the defaults every tenant has.
 */
export async function runSailPointTemplates(
  context: CommandContext,
  options: SailPointTemplatesOptions,
): Promise<ExitCode> {
  const { output } = context
  const tester = await sailPointTester(context, {
    baseUrl: options.baseUrl,
    apiVersion: options.apiVersion,
    timeoutMs: options.timeout,
  })
  const progress = await output.progress('Listing SailPoint notification templates')
  try {
    const templates = await tester.listTemplates(
      { key: options.key, medium: options.medium, locale: options.locale },
      { signal: context.signal, timeoutMs: options.timeout },
    )
    progress.stop()
    if (output.json) {
      output.emit({ count: templates.length, templates })
      return EXIT.ok
    }
    if (templates.length === 0) {
      output.print('No templates match.')
      return EXIT.ok
    }
    // A customised template sorts before the default it replaces when sending.
    const sorted = [...templates].sort(
      (a, b) =>
        a.key.localeCompare(b.key) ||
        a.medium.localeCompare(b.medium) ||
        (a.locale ?? '').localeCompare(b.locale ?? '') ||
        a.source.localeCompare(b.source),
    )
    await output.table(
      ['key', 'medium', 'locale', 'list', 'name'],
      sorted.map((t) => [t.key, t.medium, t.locale ?? '', t.source, t.name ?? ''].map(visible)),
    )
    const customized = templates.filter((t) => t.source === 'customized').length
    output.print(
      output.color.dim(
        `${templates.length} template${templates.length === 1 ? '' : 's'} (${customized} customised, ${templates.length - customized} default). Send one with: notiprobe sailpoint test --key <key> --medium <medium>`,
      ),
    )
    return EXIT.ok
  } catch (error) {
    progress.stop()
    throw error
  } finally {
    tester.close()
  }
}
