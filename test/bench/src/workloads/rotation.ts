import type { ClientKind } from '../clients/types.js'

/** Run `run` changes who goes first, so drift over the run (GC, heat, other tenants) is shared. */
export function rotate<T>(items: readonly T[], run: number): T[] {
  const k = run % items.length
  return [...items.slice(k), ...items.slice(0, k)]
}

export const MB = 1024 * 1024

export function push(
  series: Partial<Record<ClientKind, number[]>>,
  kind: ClientKind,
  value: number,
): void {
  ;(series[kind] ??= []).push(value)
}
