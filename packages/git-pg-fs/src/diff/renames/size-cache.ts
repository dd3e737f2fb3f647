/** Default bound of the shared size cache: 8 MiB; a server sets its share of its budget. */
export const DEFAULT_SIZE_CACHE_BYTES = 8 << 20

/** Heap cost of one entry: the 40-character id string, the number and the map entry. */
const ENTRY_BYTES = 128

/**
 * Blob sizes by id, shared by every rename detection of the process: immutable, and most compared
 * blobs are never read. Oldest first out past `maxBytes`.
 *
 * @example
 * const size = SizeCache.shared.get(oid) ?? (await readSize(oid))
 */
export class SizeCache {
  static readonly shared = new SizeCache(DEFAULT_SIZE_CACHE_BYTES)
  readonly #map = new Map<string, number>()
  #maxEntries: number

  constructor(maxBytes: number) {
    this.#maxEntries = Math.floor(maxBytes / ENTRY_BYTES)
  }

  /** Bytes charged now. */
  get bytes(): number {
    return this.#map.size * ENTRY_BYTES
  }

  /** Sets the bound (a server's share of its cache budget), dropping the oldest past it. */
  resize(maxBytes: number): void {
    this.#maxEntries = Math.floor(maxBytes / ENTRY_BYTES)
    this.#evict()
  }

  get(oid: string): number | undefined {
    return this.#map.get(oid)
  }

  set(oid: string, size: number): void {
    if (this.#map.has(oid) || this.#maxEntries === 0) return
    this.#map.set(oid, size)
    this.#evict()
  }

  #evict() {
    for (const key of this.#map.keys()) {
      if (this.#map.size <= this.#maxEntries) break
      this.#map.delete(key)
    }
  }
}
