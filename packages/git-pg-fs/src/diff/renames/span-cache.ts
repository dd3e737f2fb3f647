import type { SpanCounts } from './span-counts.ts'

/** Default bound of the shared fingerprint cache: bucket entries (8 bytes each), ~32 MiB. */
export const DEFAULT_SPAN_CACHE_ENTRIES = 4 << 20

/**
 * Fingerprints of blobs by id, shared by every rename detection of the process: a blob's
 * fingerprint never changes, and one is a few bytes a line, so a repeated diff skips both the
 * read and the hashing. Oldest first out past `maxEntries` buckets in all.
 *
 * @example
 * const spans = SpanCache.shared.get(oid) ?? spanCounts(content)
 */
export class SpanCache {
  static readonly shared = new SpanCache(DEFAULT_SPAN_CACHE_ENTRIES)
  readonly #map = new Map<string, SpanCounts>()
  readonly #maxEntries: number
  #entries = 0

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries
  }

  get(oid: string): SpanCounts | undefined {
    return this.#map.get(oid)
  }

  set(oid: string, spans: SpanCounts): void {
    if (this.#map.has(oid) || spans.hashes.length > this.#maxEntries) return
    this.#map.set(oid, spans)
    this.#entries += spans.hashes.length
    for (const [key, old] of this.#map) {
      if (this.#entries <= this.#maxEntries) break
      this.#map.delete(key)
      this.#entries -= old.hashes.length
    }
  }
}
