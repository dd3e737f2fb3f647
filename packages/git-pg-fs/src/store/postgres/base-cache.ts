/**
 * Resolved objects that delta chains build on, least recently used first out, bounded in bytes:
 * reads of neighbouring versions (a log, a diff, a clone's stream) find their bases without
 * reading and resolving the chain again. Keys carry the repository id, so one repository is never
 * served another's object.
 *
 * @example
 * const cache = new BaseCache({ maxBytes: 24 << 20 })
 * cache.set(repoId, oid, content)
 */
/** Heap cost of an entry beyond its content: the key, the map entry, the Buffer and its store. */
const ENTRY_OVERHEAD = 240

export class BaseCache {
  readonly maxBytes: number
  #bytes = 0
  readonly #map = new Map<string, Buffer>()

  constructor({ maxBytes = 24 << 20 }: { maxBytes?: number } = {}) {
    this.maxBytes = maxBytes
  }

  /** Bytes charged now: contents and each entry's overhead. */
  get bytes(): number {
    return this.#bytes
  }

  get(repoId: number, oid: string): Buffer | undefined {
    const key = `${repoId}:${oid}`
    const content = this.#map.get(key)
    if (content) {
      this.#map.delete(key)
      this.#map.set(key, content)
    }
    return content
  }

  set(repoId: number, oid: string, content: Buffer): void {
    // an object of more than an eighth of the budget would push out too much to be worth it
    if (content.length + ENTRY_OVERHEAD > this.maxBytes / 8) return
    const key = `${repoId}:${oid}`
    const before = this.#map.get(key)
    if (before) {
      this.#map.delete(key)
      this.#bytes -= before.length + ENTRY_OVERHEAD
    }
    this.#map.set(key, content)
    this.#bytes += content.length + ENTRY_OVERHEAD
    for (const [k, v] of this.#map) {
      if (this.#bytes <= this.maxBytes) break
      this.#map.delete(k)
      this.#bytes -= v.length + ENTRY_OVERHEAD
    }
  }
}
