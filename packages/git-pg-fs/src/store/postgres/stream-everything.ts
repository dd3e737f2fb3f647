import type { ObjectType } from '../../objects/git-object.ts'
import type { Database } from './database.ts'
import type { StoredRow } from './resolve-objects.ts'
import { copyObjectsOut, pageObjects } from './stream-objects.ts'
import type { PackedObjects } from './packs/packed-objects.ts'
import { countDistinct } from './packs/packed-ids.ts'
import { streamPacked } from './packs/stream-packed.ts'

/** The order a pack sends the types in: git's, commits first. */
export const PACK_ORDER: readonly ObjectType[] = ['commit', 'tag', 'tree', 'blob']

/** What `streamEverything` yields: first the count, then each type's rows in batches. */
export type EverythingItem = { count: number } | { type: ObjectType; rows: StoredRow[] }

/**
 * Every stored object of a repository, in `PACK_ORDER`, read in one snapshot (a read-only
 * repeatable-read transaction on one connection): first how many distinct objects there are,
 * then the rows, by binary COPY where the server allows it, and each type's packed objects no
 * row holds (so each id comes once). An object written meanwhile is neither counted nor read. A consumer that stops early ends the transaction; the connection is then closed, not
 * reused, as a COPY may be half read.
 *
 * @example
 * for await (const item of streamEverything(db, { repoId, packs })) if ('count' in item) ... else ...
 */
export async function* streamEverything(
  db: Database,
  { repoId, packs }: { repoId: number; packs: PackedObjects },
): AsyncGenerator<EverythingItem> {
  const client = await db.pool.connect()
  let finished = false
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    // the packs of this snapshot: none goes before it ends
    const listed = await packs.packs(client, repoId, true)
    const { count, alsoRows } = await countDistinct(client, { repoId, packs: listed })
    yield { count }
    for (const type of PACK_ORDER) {
      const query = { repoId, type, from: Buffer.alloc(0), to: null }
      const batches = db.supportsCopy ? copyObjectsOut(client, query) : pageObjects(client, query)
      for await (const batch of batches) yield { type, rows: batch }
      if (listed.packs.size === 0) continue
      for await (const rows of streamPacked(client, { ...query, packs: listed, exclude: alsoRows }))
        yield { type, rows }
    }
    await client.query('COMMIT')
    finished = true
  } finally {
    client.release(finished ? undefined : new Error('snapshot read abandoned'))
  }
}
