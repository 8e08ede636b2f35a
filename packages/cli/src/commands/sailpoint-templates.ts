import { isNotificationTestError } from '@notiprobe/core'
import type {
  NotificationTemplate,
  SailPointApiVersion,
  SailPointMedium,
  SailPointTester,
  TemplateVariable,
} from '@notiprobe/sailpoint'
import { MEDIUMS } from '@notiprobe/sailpoint/values'
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
  /** `--no-variables`: false skips reading each template's variables. */
  readonly variables?: boolean
}

/**
 * A template's own variables, or why there are none to show: SailPoint had none for it (HTTP 404),
 * or its key or medium is not one notiprobe can ask about (a medium added later, a key outside
 * SailPoint's pattern).
 */
type VariablesByTemplate = Map<string, readonly TemplateVariable[] | 'not found' | 'not asked'>

/**
 * `notiprobe sailpoint templates`: the keys, mediums and locales `sailpoint test` can send, from
 * both of SailPoint's lists: the templates the tenant customised, then the defaults every tenant has,
 * and the variables each key and medium fills in (what `--context` provides).
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
  const started = context.io.now()
  // --timeout bounds the whole command, the variables' requests included.
  const call = () => ({
    signal: context.signal,
    timeoutMs:
      options.timeout === undefined
        ? undefined
        : Math.max(1, options.timeout - (context.io.now() - started)),
  })
  try {
    const templates = await tester.listTemplates(
      { key: options.key, medium: options.medium, locale: options.locale },
      call(),
    )
    const withVariables = options.variables !== false
    if (withVariables) progress.update('Reading the variables of each template')
    const variables = withVariables ? await readVariables(tester, templates, call) : undefined
    progress.stop()
    const own = (t: NotificationTemplate) =>
      variables?.byTemplate.get(variablesKey(t.key, t.medium))
    if (output.json) {
      output.emit({
        count: templates.length,
        templates: withVariables
          ? templates.map((t) => {
              const found = own(t)
              return { ...t, variables: typeof found === 'object' ? found : null }
            })
          : templates,
        ...(variables === undefined ? {} : { globalVariables: variables.globals }),
      })
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
    const variableText = (t: NotificationTemplate): string => {
      const found = own(t) ?? 'not asked'
      if (typeof found === 'string') return `(${found})`
      return found.length === 0 ? '(none)' : found.map((v) => v.key).join(', ')
    }
    await output.table(
      ['key', 'medium', 'locale', 'list', 'name', ...(withVariables ? ['variables'] : [])],
      sorted.map((t) =>
        [
          t.key,
          t.medium,
          t.locale ?? '',
          t.source,
          t.name ?? '',
          ...(withVariables ? [variableText(t)] : []),
        ].map(visible),
      ),
    )
    const customized = templates.filter((t) => t.source === 'customized').length
    const globals = variables?.globals ?? []
    if (globals.length > 0) {
      output.print(
        output.color.dim(
          `SailPoint fills in ${globals.map((v) => visible(v.key)).join(', ')} itself; --context provides the others.`,
        ),
      )
    }
    output.print(
      output.color.dim(
        `${templates.length} template${templates.length === 1 ? '' : 's'} (${customized} customised, ${templates.length - customized} default). Send one with: notiprobe sailpoint test --key <key> --medium <medium> --context '{"<variable>": "<value>"}'`,
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

function variablesKey(key: string, medium: string): string {
  return `${key}\u0000${medium}`
}

/**
 * The variables of each key and medium listed, one request each (the tester keeps to SailPoint's
 * rate limit). A template SailPoint lists yet has no variables for (404) is marked, not fatal;
 * any other failure, a 403 naming the missing scope first, ends the command.
 */
async function readVariables(
  tester: SailPointTester,
  templates: readonly NotificationTemplate[],
  call: () => { signal: AbortSignal; timeoutMs: number | undefined },
): Promise<{ byTemplate: VariablesByTemplate; globals: readonly TemplateVariable[] }> {
  const found: VariablesByTemplate = new Map()
  let globals: readonly TemplateVariable[] | undefined
  for (const template of templates) {
    const id = variablesKey(template.key, template.medium)
    if (found.has(id)) continue
    if (!isKnownMedium(template.medium)) {
      found.set(id, 'not asked')
      continue
    }
    try {
      const answer = await tester.getTemplateVariables(template.key, template.medium, call())
      found.set(id, answer.templateVariables)
      globals ??= answer.globalVariables
    } catch (error) {
      if (!isNotificationTestError(error)) throw error
      if (error.kind === 'not_found') found.set(id, 'not found')
      // A key SailPoint listed that notiprobe will not put in a URL: shown, not asked about.
      else if (error.kind === 'invalid_input' && error.httpStatus === undefined)
        found.set(id, 'not asked')
      else throw error
    }
  }
  return { byTemplate: found, globals: globals ?? [] }
}

function isKnownMedium(medium: string): medium is SailPointMedium {
  return (MEDIUMS as readonly string[]).includes(medium)
}
