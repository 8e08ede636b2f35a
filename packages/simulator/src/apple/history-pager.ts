import type { HistoryFilter } from './history-filter.js'
import type { HistorySource, NotificationHistoryItem } from './history-sources.js'

/** Apple returns at most 20 records a page. */
export const HISTORY_PAGE_SIZE = 20

export interface HistoryPage {
  items: NotificationHistoryItem[]
  /** Next index per source, for the following page; undefined when nothing is left. */
  next: Map<string, number> | undefined
}

interface Head {
  source: HistorySource
  position: number
  /** One past the last record inside the date range. */
  end: number
}

/** First index whose date is >= `date` (or > `date` when `after`), by binary search. */
function boundary(source: HistorySource, date: number, after: boolean): number {
  let lo = 0
  let hi = source.size
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const d = source.dateAt(mid)
    if (d < date || (after && d === date)) lo = mid + 1
    else hi = mid
  }
  return lo
}

function skipToMatch(head: Head, filter: HistoryFilter): void {
  while (head.position < head.end && !head.source.matches(head.position, filter)) head.position++
}

/**
 * One page of history, oldest first, merged across sources by date. `positions` is where the
 * previous page stopped in each source; a source it does not name starts at its range.
 */
export async function readHistoryPage(
  sources: readonly HistorySource[],
  filter: HistoryFilter,
  positions: ReadonlyMap<string, number>,
): Promise<HistoryPage> {
  const heads: Head[] = []
  for (const source of sources) {
    if (source.size === 0 || source.excludes(filter)) continue
    const start = boundary(source, filter.startDate, false)
    const end = boundary(source, filter.endDate, true)
    const head = { source, position: Math.max(start, positions.get(source.id) ?? 0), end }
    skipToMatch(head, filter)
    // Exhausted sources stay in the cursor too, or the next page would start them over.
    heads.push(head)
  }

  const picked: { source: HistorySource; index: number }[] = []
  while (picked.length < HISTORY_PAGE_SIZE) {
    let best: Head | undefined
    for (const head of heads) {
      if (head.position >= head.end) continue
      if (
        best === undefined ||
        head.source.dateAt(head.position) < best.source.dateAt(best.position)
      ) {
        best = head
      }
    }
    if (best === undefined) break
    picked.push({ source: best.source, index: best.position })
    best.position++
    skipToMatch(best, filter)
  }

  const items = await Promise.all(picked.map(({ source, index }) => source.item(index)))
  const more = heads.some((head) => head.position < head.end)
  const next = more ? new Map(heads.map((head) => [head.source.id, head.position])) : undefined
  return { items, next }
}
