import type { SpanCounts } from './span-counts.ts'

/** Default bound of the shared fingerprint cache: 16 MiB; a server sets its share of its budget. */
export const DEFAULT_SPAN_CACHE_BYTES = 16 << 20

/** Heap cost of a fingerprint beyond its buckets: two typed arrays, their stores, key and entry. */
const ENTRY_OVERHEAD = 400

const costOf = (spans: SpanCounts) => spans.hashes.length * 8 + ENTRY_OVERHEAD

/**
 * Fingerprints of blobs by id, shared by every rename detection of the process: a blob's
 * fingerprint never changes, and one is a few bytes a line, so a repeated diff skips both the
 * read and the hashing. Oldest first out past `maxBytes` (buckets at 8 bytes and each entry's
 * overhead).
 *
 * @example
 * const spans = SpanCache.shared.get(oid) ?? spanCounts(content)
 */
export class SpanCache {
  static readonly shared = new SpanCache(DEFAULT_SPAN_CACHE_BYTES)
  readonly #map = new Map<string, SpanCounts>()
  #maxBytes: number
  #bytes = 0

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes
  }

  /** Bytes charged now. */
  get bytes(): number {
    return this.#bytes
  }

  get maxBytes(): number {
    return this.#maxBytes
  }

  /** Sets the bound (a server's share of its cache budget), dropping the oldest past it. */
  resize(maxBytes: number): void {
    this.#maxBytes = maxBytes
    this.#evict()
  }

  get(oid: string): SpanCounts | undefined {
    return this.#map.get(oid)
  }

  set(oid: string, spans: SpanCounts): void {
    const cost = costOf(spans)
    if (this.#map.has(oid) || cost > this.#maxBytes / 8) return
    this.#map.set(oid, spans)
    this.#bytes += cost
    this.#evict()
  }

  #evict() {
    for (const [key, old] of this.#map) {
      if (this.#bytes <= this.#maxBytes) break
      this.#map.delete(key)
      this.#bytes -= costOf(old)
    }
  }
}
