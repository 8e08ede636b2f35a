import { summarize, pairedRatios, type Summary } from './stats.js'
import { CLIENT_KINDS, type ClientKind } from './clients/types.js'

/** One line of the table: a figure for each client, notiprobe's ratios, and the target. */
export interface Row {
  readonly section: string
  readonly label: string
  readonly unit: string
  readonly digits: number
  readonly values: Partial<Record<ClientKind, Summary>>
  readonly vsRaw?: Summary | undefined
  readonly vsFloor?: Summary | undefined
  readonly vsSdk?: Summary | undefined
  /** The floor over the SDK: where a target against the SDK is out of reach for any client on the named dependencies. */
  readonly floorVsSdk?: Summary | undefined
  /**
   * The floor validating the answer with zod used bare, over the floor: where a target against the
   * floor is out of reach for any client that checks what the vendor sent.
   */
  readonly zodFloorVsFloor?: Summary | undefined
  readonly target?: string | undefined
  /** Undefined: informational, no target. */
  readonly met?: boolean | undefined
  readonly note?: string | undefined
  /** Absolute differences (growth in MiB) make no sense as ratios. */
  readonly noRatios?: boolean | undefined
}

export type Series = Partial<Record<ClientKind, number[]>>

/** A row from per-run values of each client, with ratios paired by run. */
export function compareRow(
  base: Omit<
    Row,
    'values' | 'vsRaw' | 'vsFloor' | 'vsSdk' | 'floorVsSdk' | 'zodFloorVsFloor' | 'met'
  >,
  series: Series,
  check?: (ratios: {
    vsRaw?: Summary
    vsFloor?: Summary
    vsSdk?: Summary
    values: Row['values']
  }) => boolean,
): Row {
  const values: Row['values'] = {}
  for (const kind of CLIENT_KINDS) {
    const s = series[kind]
    if (s !== undefined && s.length > 0) values[kind] = summarize(s)
  }
  /** `numerator` over `denominator`, run by run; undefined where either was not measured. */
  const ratio = (
    numerator: number[] | undefined,
    denominator: number[] | undefined,
  ): Summary | undefined =>
    base.noRatios === true ||
    numerator === undefined ||
    denominator === undefined ||
    denominator.length === 0
      ? undefined
      : summarize(pairedRatios(numerator, denominator))
  const vsRaw = ratio(series.notiprobe, series.raw)
  const vsFloor = ratio(series.notiprobe, series.floor)
  const vsSdk = ratio(series.notiprobe, series.sdk)
  const floorVsSdk = ratio(series.floor, series.sdk)
  const zodFloorVsFloor = ratio(series['zod-floor'], series.floor)
  const ratios = {
    values,
    ...(vsRaw === undefined ? {} : { vsRaw }),
    ...(vsFloor === undefined ? {} : { vsFloor }),
    ...(vsSdk === undefined ? {} : { vsSdk }),
  }
  return {
    ...base,
    ...ratios,
    ...(floorVsSdk === undefined ? {} : { floorVsSdk }),
    ...(zodFloorVsFloor === undefined ? {} : { zodFloorVsFloor }),
    met: check?.(ratios),
  }
}

function fmt(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '–'
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })
}

function cell(s: Summary | undefined, digits: number): string {
  if (s === undefined) return '–'
  if (s.runs === 1 || s.min === s.max) return fmt(s.median, digits)
  return `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`
}

function ratioCell(s: Summary | undefined): string {
  if (s === undefined) return '–'
  if (s.runs === 1 || s.min === s.max) return `${fmt(s.median, 2)}×`
  return `${fmt(s.median, 2)}× (${fmt(s.min, 2)}–${fmt(s.max, 2)})`
}

const HEADER = [
  'workload',
  'unit',
  'notiprobe',
  'raw node:http',
  'named-dependency floor',
  'official SDK',
  'notiprobe ÷ raw',
  'notiprobe ÷ floor',
  'notiprobe ÷ SDK',
  'floor ÷ SDK',
  'floor validating with zod ÷ floor',
  'target',
  'met',
]

/** The table as Markdown: readable in a terminal, and the form docs/benchmarks.md records. */
export function renderTable(rows: readonly Row[]): string {
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => ' --- ').join('|')}|`]
  let section = ''
  for (const row of rows) {
    if (row.section !== section) {
      section = row.section
      lines.push(`| **${section}** |${' |'.repeat(HEADER.length - 1)}`)
    }
    const met = row.met === undefined ? 'info' : row.met ? 'yes' : '**NO**'
    lines.push(
      `| ${[
        row.label,
        row.unit,
        cell(row.values.notiprobe, row.digits),
        cell(row.values.raw, row.digits),
        cell(row.values.floor, row.digits),
        cell(row.values.sdk, row.digits),
        ratioCell(row.vsRaw),
        ratioCell(row.vsFloor),
        ratioCell(row.vsSdk),
        ratioCell(row.floorVsSdk),
        ratioCell(row.zodFloorVsFloor),
        row.target ?? '',
        met,
      ].join(' | ')} |`,
    )
  }
  return lines.join('\n')
}

/** Notes under the table: one per row that has one. */
export function renderNotes(rows: readonly Row[]): string {
  return rows
    .filter((row) => row.note !== undefined)
    .map((row) => `- ${row.section}, ${row.label}: ${row.note ?? ''}`)
    .join('\n')
}
