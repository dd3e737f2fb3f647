import type { Executor } from '../database.ts'
import type { RepoPacks } from './pack-index-cache.ts'

/**
 * How many distinct objects the repository holds: its rows, and its packed objects no row holds
 * too (a writer may have stored a packed object again). Repositories without packs count their
 * rows as before.
 *
 * @example
 * const n = await countDistinct(db, { repoId, packs: await cache.refresh(db, repoId) })
 */
export async function countDistinct(
  db: Executor,
  { repoId, packs }: { repoId: number; packs: RepoPacks },
): Promise<number> {
  if (packs.packs.size === 0) {
    const { rows } = await db.query<{ n: string }>(
      'SELECT count(*) AS n FROM git_objects WHERE repo_id = $1',
      [repoId],
    )
    return Number(rows[0].n)
  }
  const ids = packedIds(packs)
  const { rows } = await db.query<{ n: string; both: string }>(
    `SELECT (SELECT count(*) FROM git_objects WHERE repo_id = $1) AS n,
       (SELECT count(*) FROM unnest($2::bytea[]) AS u(oid)
        JOIN git_objects g ON g.repo_id = $1 AND g.oid = u.oid) AS both`,
    [repoId, ids],
  )
  return Number(rows[0].n) + ids.length - Number(rows[0].both)
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
