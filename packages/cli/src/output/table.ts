import type { Colors } from './colors.js'

export interface TableOptions {
  readonly colors: Colors
  /** Terminal width; the widest column wraps to fit. Undefined: no wrapping. */
  readonly columns?: number | undefined
  /** Column to wrap when the table is too wide; the last one by default. */
  readonly wrapColumn?: number | undefined
}

/**
 * Rows as a boxed table when every value fits on its line within `columns`; otherwise one block
 * per row, each value on a line of its own. Nothing is ever cut or wrapped inside a value: a
 * request id, a token or a hint copied from a CI log must be whole.
 */
export async function renderRows(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions & { readonly columns: number },
): Promise<string> {
  if (tableWidth(head, rows) <= options.columns) {
    return renderTable(head, rows, { ...options, columns: undefined })
  }
  return renderBlocks(head, rows, options.colors)
}

/** One block per row: the first value as its heading, then `label  value` lines. */
export function renderBlocks(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  colors: TableOptions['colors'],
): string {
  const width = Math.max(...head.slice(1).map((title) => title.length))
  return rows
    .map((row) =>
      [
        colors.bold(row[0] ?? ''),
        ...head
          .slice(1)
          .map((title, i) => [title, row[i + 1] ?? ''] as const)
          .filter(([, value]) => value !== '')
          .map(
            ([title, value]) =>
              `  ${colors.dim(title.padEnd(width))}  ${value.replace(/\n/g, ' ')}`,
          ),
      ].join('\n'),
    )
    .join('\n\n')
}

/** Width of the table with every cell on one line (borders and padding included). */
function tableWidth(head: readonly string[], rows: readonly (readonly string[])[]): number {
  const natural = head.map(
    (title, i) =>
      Math.max(visibleWidth(title), ...rows.map((row) => longestLine(row[i] ?? ''))) + 2,
  )
  return natural.reduce((sum, width) => sum + width, 0) + head.length + 1
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
