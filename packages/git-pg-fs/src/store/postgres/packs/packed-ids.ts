import type { Executor } from '../database.ts'
import type { RepoPacks } from './pack-index-cache.ts'

/**
 * How many distinct objects the repository holds: its rows, and its packed objects no row holds
 * too (a writer may have stored a packed object again), with the packed ids rows hold too
 * (`alsoRows`, hex). Which those are is found from the smaller side: the rows' ids probed in the
 * indexes in memory, or the packed ids looked up among rows. Repositories without packs count
 * their rows as before.
 *
 * @example
 * const { count } = await countDistinct(db, { repoId, packs: await cache.refresh(db, repoId) })
 */
export async function countDistinct(
  db: Executor,
  { repoId, packs }: { repoId: number; packs: RepoPacks },
): Promise<{ count: number; alsoRows: Set<string> }> {
  const { rows } = await db.query<{ n: string }>(
    'SELECT count(*) AS n FROM git_objects WHERE repo_id = $1',
    [repoId],
  )
  const n = Number(rows[0].n)
  if (packs.packs.size === 0 || n === 0) return { count: n + packs.objects, alsoRows: new Set() }
  let both: Set<string>
  if (n <= packs.objects) {
    const ids = await db.query<{ oid: Buffer }>('SELECT oid FROM git_objects WHERE repo_id = $1', [
      repoId,
    ])
    both = new Set(ids.rows.filter((r) => packs.find(r.oid)).map((r) => r.oid.toString('hex')))
  } else both = await alsoRows(db, { repoId, ids: packedIds(packs) })
  return { count: n + packs.objects - both.size, alsoRows: both }
}

/** Every id of `packs` (views into their indexes). */
export function packedIds(packs: RepoPacks, filter?: (type: number) => boolean): Buffer[] {
  const out: Buffer[] = []
  for (const index of packs.packs.values())
    for (let i = 0; i < index.count; i++)
      if (!filter || filter(index.type(i))) out.push(index.oid(i))
  return out
}

/** Which of `ids` are rows of the repository too (hex): one query, none when `ids` is empty. */
export async function alsoRows(
  db: Executor,
  { repoId, ids }: { repoId: number; ids: readonly Buffer[] },
): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const { rows } = await db.query<{ oid: Buffer }>(
    `SELECT g.oid FROM unnest($2::bytea[]) AS u(oid)
     JOIN git_objects g ON g.repo_id = $1 AND g.oid = u.oid`,
    [repoId, ids],
  )
  return new Set(rows.map((r) => r.oid.toString('hex')))
}

/** The packed ids (hex) starting with `prefix`, at most `limit` of each pack. */
export function findPrefix(
  packs: RepoPacks,
  { prefix, lo, limit }: { prefix: string; lo: Buffer; limit: number },
): string[] {
  const out: string[] = []
  for (const index of packs.packs.values()) {
    for (let i = index.lowerBound(lo), n = 0; i < index.count && n < limit; i++) {
      const oid = index.oid(i).toString('hex')
      if (!oid.startsWith(prefix.slice(0, lo.length * 2))) break
      if (oid.startsWith(prefix)) {
        out.push(oid)
        n++
      }
    }
  }
  return out
}
