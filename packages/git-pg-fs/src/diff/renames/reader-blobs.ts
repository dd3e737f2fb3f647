import type { ObjectReader } from '../../repo/object-reader.ts'
import type { BlobSource } from './similarity.ts'
import { SizeCache } from './size-cache.ts'

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
        const size =
          SizeCache.shared.get(oid) ?? reader.cache.get(reader.repoId, oid)?.content.length
        if (size !== undefined) out.set(oid, size)
        else misses.push(oid)
      }
      if (misses.length > 0)
        for (const [oid, i] of await reader.store.readObjectInfo(reader.repoId, misses)) {
          out.set(oid, i.size)
          SizeCache.shared.set(oid, i.size)
        }
      return out
    },
    async read(oids) {
      const objects = await reader.readMany(oids)
      return new Map([...objects].map(([oid, o]) => [oid, o.content]))
    },
  }
}
