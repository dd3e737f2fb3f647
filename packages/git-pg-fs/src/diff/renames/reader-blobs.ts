import type { ObjectReader } from '../../repo/object-reader.ts'
import type { BlobSource } from './similarity.ts'

/** Blob sizes by id, shared by every detection: immutable, and most compared blobs are never read. */
const SIZES = new Map<string, number>()
/** ~25 MiB of ids and sizes; oldest first out */
const MAX_SIZES = 200_000

function remember(oid: string, size: number): void {
  if (SIZES.has(oid)) return
  SIZES.set(oid, size)
  if (SIZES.size > MAX_SIZES) SIZES.delete(SIZES.keys().next().value!)
}

/**
 * Blob sizes from the store's object index and contents through the reader's cache.
 *
 * @example
 * await detectRenames({ changes, blobs: readerBlobs(repo.reader) })
 */
export function readerBlobs(reader: ObjectReader): BlobSource {
  return {
    async sizes(oids) {
      // sizes seen before, or of blobs in the cache, need no query
      const out = new Map<string, number>()
      const misses: string[] = []
      for (const oid of oids) {
        const size = SIZES.get(oid) ?? reader.cache.get(reader.repoId, oid)?.content.length
        if (size !== undefined) out.set(oid, size)
        else misses.push(oid)
      }
      if (misses.length > 0)
        for (const [oid, i] of await reader.store.readObjectInfo(reader.repoId, misses)) {
          out.set(oid, i.size)
          remember(oid, i.size)
        }
      return out
    },
    async read(oids) {
      const objects = await reader.readMany(oids)
      return new Map([...objects].map(([oid, o]) => [oid, o.content]))
    },
  }
}
