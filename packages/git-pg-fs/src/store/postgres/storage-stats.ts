import type { Executor } from './database.ts'

/** What a repository's objects take in the database. */
export interface StorageStats {
  /** object rows (`git_objects`) */
  objects: number
  /** rows stored whole (zlib of the content) */
  wholeObjects: number
  /** rows stored as a delta against another object */
  deltaObjects: number
  /** bytes of the rows' `data`, as stored */
  storedBytes: number
  /** cold packs (`git_packs`) */
  packs: number
  /** objects in packs */
  packedObjects: number
  /** bytes of the packs: their data and indexes */
  packedBytes: number
}

/**
 * Counts a repository's object rows and packed objects and their stored bytes (lengths come from
 * the stored values' headers: nothing is decompressed or read out of line).
 *
 * @example
 * const { objects, storedBytes, packedObjects } = await readStorageStats(db, repoId)
 */
export async function readStorageStats(db: Executor, repoId: number): Promise<StorageStats> {
  const { rows } = await db.query<{
    objects: string
    deltas: string
    bytes: string | null
    packs: string
    packed: string | null
    packed_bytes: string | null
  }>(
    `SELECT o.*, p.* FROM
       (SELECT count(*) AS objects, count(base) AS deltas, sum(octet_length(data)) AS bytes
        FROM git_objects WHERE repo_id = $1) AS o,
       (SELECT count(*) AS packs, sum(objects) AS packed,
          sum(octet_length(data)::bigint + octet_length(idx)) AS packed_bytes
        FROM git_packs WHERE repo_id = $1) AS p`,
    [repoId],
  )
  const r = rows[0]
  const objects = Number(r.objects)
  const deltaObjects = Number(r.deltas)
  return {
    objects,
    wholeObjects: objects - deltaObjects,
    deltaObjects,
    storedBytes: Number(r.bytes ?? 0),
    packs: Number(r.packs),
    packedObjects: Number(r.packed ?? 0),
    packedBytes: Number(r.packed_bytes ?? 0),
  }
}
