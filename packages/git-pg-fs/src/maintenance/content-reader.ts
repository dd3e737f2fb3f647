import type { PostgresStore } from '../store/postgres/postgres-store.ts'

/** Bytes of contents one read asks the database for at most. */
const READ_BYTES = 8 << 20

/**
 * Object contents for repack, read in bounded batches (`readObjectsWithin`) and kept in a
 * least-recently-used set bounded in bytes: the windows of neighbouring candidates share most of
 * their bases, so each is read about once.
 *
 * @example
 * const reader = new ContentReader({ store, repoId })
 * const contents = await reader.read([x, ...bases])
 */
export class ContentReader {
  readonly #store: PostgresStore
  readonly #repoId: number
  readonly #maxBytes: number
  readonly #kept = new Map<string, Buffer>()
  #bytes = 0

  constructor({
    store,
    repoId,
    maxBytes = 48 << 20,
  }: {
    store: PostgresStore
    repoId: number
    maxBytes?: number
  }) {
    this.#store = store
    this.#repoId = repoId
    this.#maxBytes = maxBytes
  }

  /** The contents of `oids` (those stored), from the kept set or the database. */
  async read(oids: readonly string[]): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>()
    let missing: string[] = []
    for (const oid of new Set(oids)) {
      const kept = this.#kept.get(oid)
      if (!kept) {
        missing.push(oid)
        continue
      }
      this.#kept.delete(oid)
      this.#kept.set(oid, kept)
      out.set(oid, kept)
    }
    while (missing.length > 0) {
      const { objects, unread } = await this.#store.readObjectsWithin(
        this.#repoId,
        missing,
        READ_BYTES,
      )
      if (objects.size === 0) break
      for (const [oid, o] of objects) {
        out.set(oid, o.content)
        this.#keep(oid, o.content)
      }
      missing = unread
    }
    return out
  }

  #keep(oid: string, content: Buffer): void {
    if (content.length > this.#maxBytes / 8) return
    this.#kept.set(oid, content)
    this.#bytes += content.length
    for (const [k, v] of this.#kept) {
      if (this.#bytes <= this.#maxBytes) break
      this.#kept.delete(k)
      this.#bytes -= v.length
    }
  }
}
