import type { Colors } from './colors.js'

export interface TableOptions {
  readonly colors: Colors
  /** Terminal width; the widest column wraps to fit. Undefined: no wrapping. */
  readonly columns?: number | undefined
  /** Column to wrap when the table is too wide; the last one by default. */
  readonly wrapColumn?: number | undefined
}

/** Renders rows as a boxed table (cli-table3, loaded only when a table is printed). */
export async function renderTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions,
): Promise<string> {
  const { default: Table } = await import('cli-table3')
  const wrap = options.wrapColumn ?? head.length - 1
  const colWidths = fitWidths(head, rows, wrap, options.columns)
  const table = new Table({
    head: head.map((title) => options.colors.bold(title)),
    style: { head: [], border: [] },
    // No rule between rows: wrapped cells already read as one row.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    wordWrap: true,
    wrapOnWordBoundary: true,
    ...(colWidths === undefined ? {} : { colWidths }),
  })
  for (const row of rows) table.push([...row])
  return table.toString()
}

/** Widths that fit `columns`, shrinking only the wrap column; undefined when the table already fits. */
function fitWidths(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  wrap: number,
  columns: number | undefined,
): (number | null)[] | undefined {
  if (columns === undefined || columns <= 0) return undefined
  const natural = head.map(
    (title, i) =>
      Math.max(visibleWidth(title), ...rows.map((row) => longestLine(row[i] ?? ''))) + 2,
  )
  const total = natural.reduce((sum, width) => sum + width, 0) + head.length + 1
  if (total <= columns) return undefined
  const others = total - (natural[wrap] ?? 0)
  const wrapWidth = Math.max(20, columns - others)
  return natural.map((width, i) => (i === wrap ? wrapWidth : width))
}

function longestLine(text: string): number {
  return Math.max(0, ...text.split('\n').map(visibleWidth))
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g

export function visibleWidth(text: string): number {
  return text.replace(ANSI, '').length
}
