import type { Executor } from './database.ts'

/** What a repository's objects take in the database. */
export interface StorageStats {
  objects: number
  /** stored whole (zlib of the content) */
  wholeObjects: number
  /** stored as a delta against another object */
  deltaObjects: number
  /** bytes of `data`, as stored */
  storedBytes: number
}

/**
 * Counts a repository's objects and their stored bytes (lengths come from the stored values'
 * headers: nothing is decompressed or read out of line).
 *
 * @example
 * const { objects, storedBytes } = await readStorageStats(db, repoId)
 */
export async function readStorageStats(db: Executor, repoId: number): Promise<StorageStats> {
  const { rows } = await db.query<{ objects: string; deltas: string; bytes: string | null }>(
    `SELECT count(*) AS objects, count(base) AS deltas, sum(octet_length(data)) AS bytes
     FROM git_objects WHERE repo_id = $1`,
    [repoId],
  )
  const objects = Number(rows[0].objects)
  const deltaObjects = Number(rows[0].deltas)
  return {
    objects,
    wholeObjects: objects - deltaObjects,
    deltaObjects,
    storedBytes: Number(rows[0].bytes ?? 0),
  }
}
