import { OidSet } from '../../repo/oid-set.ts'
import type { RefRecord } from '../git-store.ts'
import type { Database } from './database.ts'
import { readPackedIds } from './packs/read-packs.ts'

/** Object ids read per query. */
const PAGE = 50_000

/** A repository's refs and stored object ids as one transaction saw them. */
export interface GcSnapshot {
  refs: RefRecord[]
  /** every stored object id (in rows or packs, once), 20 bytes each, in byte order */
  ids: Buffer
  listed: OidSet
  /** the ids held in packs (some may be rows too) */
  packed: OidSet
}

/** Two sorted lists of 20-byte ids as one sorted list, each id once. */
function mergeIds(a: Buffer, b: Buffer): Buffer {
  if (b.length === 0) return a
  if (a.length === 0) return b
  const out = Buffer.allocUnsafe(a.length + b.length)
  let i = 0
  let j = 0
  let n = 0
  while (i < a.length || j < b.length) {
    const order = i >= a.length ? 1 : j >= b.length ? -1 : a.compare(b, j, j + 20, i, i + 20)
    const [from, at] = order <= 0 ? [a, i] : [b, j]
    from.copy(out, n, at, at + 20)
    n += 20
    if (order <= 0) i += 20
    if (order >= 0) j += 20
  }
  return out.subarray(0, n)
}

/**
 * Reads the refs and the ids of every stored object (rows and packs) of a repository in one short repeatable-read,
 * read-only transaction: the ids are what garbage collection may remove, and objects stored after
 * it are never among them.
 *
 * @example
 * const { refs, ids, listed } = await readGcSnapshot(db, repoId)
 */
export async function readGcSnapshot(db: Database, repoId: number): Promise<GcSnapshot> {
  const client = await db.pool.connect()
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    try {
      const { rows: refs } = await client.query<RefRecord>(
        'SELECT name, oid, target FROM git_refs WHERE repo_id = $1 ORDER BY name COLLATE "C"',
        [repoId],
      )
      const pages: Buffer[] = []
      let after: Buffer = Buffer.alloc(0)
      for (;;) {
        // one value per page: node-postgres decodes one bytea far faster than 50,000 of them
        const { rows } = await client.query<{ ids: Buffer | null }>(
          `SELECT string_agg(oid, ''::bytea ORDER BY oid) AS ids
           FROM (SELECT oid FROM git_objects WHERE repo_id = $1 AND oid > $2
                 ORDER BY oid LIMIT $3) AS page`,
          [repoId, after, PAGE],
        )
        const page = rows[0].ids
        if (!page) break
        pages.push(page)
        after = page.subarray(page.length - 20)
        if (page.length < PAGE * 20) break
      }
      const packedIds = await readPackedIds({ db: client, repoId })
      await client.query('COMMIT')
      const packed = OidSet.fromRaw(packedIds)
      const ids = mergeIds(Buffer.concat(pages), packedIds)
      const listed = OidSet.fromRaw(ids)
      return { refs, ids, listed, packed }
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {})
      throw err
    }
  } finally {
    client.release()
  }
}
