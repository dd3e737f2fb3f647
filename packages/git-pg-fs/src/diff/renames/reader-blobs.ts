import type { ObjectReader } from '../../repo/object-reader.ts'
import type { BlobSource } from './similarity.ts'

/**
 * Blob sizes from the store's object index and contents through the reader's cache.
 *
 * @example
 * await detectRenames({ changes, blobs: readerBlobs(repo.reader) })
 */
export function readerBlobs(reader: ObjectReader): BlobSource {
  return {
    async sizes(oids) {
      const info = await reader.store.readObjectInfo(reader.repoId, oids)
      return new Map([...info].map(([oid, i]) => [oid, i.size]))
    },
    async read(oids) {
      const objects = await reader.readMany(oids)
      return new Map([...objects].map(([oid, o]) => [oid, o.content]))
    },
  }
}
