/**
 * A small map that forgets its oldest entry when full. Used only to memoize pure functions of
 * their key (parsing a certificate, checking one certificate's signature), never decisions.
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, V>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  getOrCompute(key: string, compute: () => V): V {
    if (this.#entries.has(key)) return this.#entries.get(key) as V
    const value = compute()
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
    this.#entries.set(key, value)
    return value
  }
}
