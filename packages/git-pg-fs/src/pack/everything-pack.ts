import { createHash } from 'node:crypto'
import { OidNumbers } from '../repo/oid-numbers.ts'
import type { GitStore, StoredRowView } from '../store/git-store.ts'
import { inflatedSize } from './pack-entry.ts'
import { PackWriter } from './pack-writer.ts'
import type { PreparedPack } from './prepare-pack.ts'

/**
 * The key a full pack is recorded under: the SHA-1 of its sorted wants and of the tags it
 * includes that it does not want anyway (none for a clone of every ref, with or without
 * include-tag, so both share one record).
 */
export function fullPackKey(wants: readonly string[], includeTags: readonly string[]): Buffer {
  const wanted = new Set(wants)
  const list = (ids: Iterable<string>) => [...new Set(ids)].sort().join(' ')
  const extra = includeTags.filter((t) => !wanted.has(t))
  return createHash('sha1')
    .update(`want ${list(wanted)}\ninclude-tag ${list(extra)}\n`)
    .digest()
}

/**
 * The pack of every stored object of the repository, when a full pack with the same key found
 * them all reachable and the repository still holds as many (see `recordFullPack`): no tree is
 * read before the pack starts, and every stored row goes out as it is, in one snapshot.
 * Null when the record does not hold, and the caller walks the trees instead.
 *
 * @example
 * const pack = await prepareEverything({ store, repoId, key: fullPackKey(wants, []) })
 */
export async function prepareEverything({
  store,
  repoId,
  key,
  deflate = false,
  ofsDelta = true,
}: {
  store: GitStore
  repoId: number
  key: Buffer
  deflate?: boolean
  ofsDelta?: boolean
}): Promise<PreparedPack | null> {
  const record = await store.readFullPack(repoId)
  if (!record || !record.wants.equals(key)) return null
  const items = store.streamEverything(repoId)[Symbol.asyncIterator]()
  const first = await items.next()
  const count = first.done ? -1 : 'count' in first.value ? first.value.count : -1
  if (count !== record.objects) {
    await items.return?.()
    return null
  }
  async function* stream(): AsyncGenerator<Buffer> {
    const pack = new PackWriter({ count, deflate })
    const entries = new PackOffsets(count)
    try {
      for (let r = await items.next(); !r.done; r = await items.next()) {
        // `for (... of ...)`, not `yield*`: an async generator's `yield*` awaits even an empty array
        for (const row of r.value as StoredRowView[]) {
          const at = pack.offset
          const { base, data } = row
          const baseAt = base === null || !ofsDelta ? -1 : entries.get(base)
          const chunks =
            base === null
              ? pack.addStored({ type: row.type, size: row.size, zlib: data })
              : pack.addStored({
                  type: 0,
                  base: baseAt >= 0 ? baseAt : base,
                  size: inflatedSize(data),
                  zlib: data,
                })
          entries.set(row.oid, at)
          for (const chunk of chunks) yield chunk
        }
      }
    } finally {
      await items.return?.()
    }
    for (const chunk of pack.end()) yield chunk
  }
  const dispose = () => {
    items.return?.().catch(() => {})
  }
  return { count, stream: stream(), dispose }
}

/** Where each object sent so far starts in the pack, by its 20-byte id: no string per object. */
class PackOffsets {
  readonly #ids: OidNumbers
  #offsets: Float64Array

  constructor(count: number) {
    this.#ids = new OidNumbers(count)
    this.#offsets = new Float64Array(Math.max(1024, count))
  }

  get(oid: Uint8Array): number {
    const n = this.#ids.find(oid, 0)
    return n < 0 ? -1 : this.#offsets[n]
  }

  set(oid: Uint8Array, at: number) {
    const n = this.#ids.add(oid, 0)
    if (n >= this.#offsets.length) {
      const grown = new Float64Array(this.#offsets.length * 2)
      grown.set(this.#offsets)
      this.#offsets = grown
    }
    this.#offsets[n] = at
  }
}
