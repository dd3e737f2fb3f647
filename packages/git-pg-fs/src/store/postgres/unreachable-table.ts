import type { Database, Executor } from './database.ts'
import { rowsOf } from './garbage-rows.ts'
import { oidBytes } from './oid-bytes.ts'

const CHUNK = 10_000

/**
 * Records when each of `garbage` (the objects no ref reaches now) was first found unreachable,
 * and forgets the records of objects that are reachable again (or gone). Returns, for each of
 * `garbage`, since when it is unreachable: now for those found in this run. With `dryRun`
 * nothing is written.
 *
 * @example
 * const since = await ageUnreachable(db, { repoId, garbage, dryRun: false })
 */
export async function ageUnreachable(
  db: Database,
  { repoId, garbage, dryRun }: { repoId: number; garbage: readonly string[]; dryRun: boolean },
): Promise<Map<string, Date>> {
  const { rows } = await db.query<{ oid: string; found_at: Date }>(
    `SELECT encode(oid, 'hex') AS oid, found_at FROM git_unreachable WHERE repo_id = $1`,
    [repoId],
  )
  const wanted = new Set(garbage)
  const since = new Map<string, Date>()
  const forget: string[] = []
  for (const r of rows) {
    if (wanted.has(r.oid)) since.set(r.oid, r.found_at)
    else forget.push(r.oid)
  }
  const fresh = garbage.filter((o) => !since.has(o))
  if (dryRun) {
    const now = new Date()
    for (const o of fresh) since.set(o, now)
    return since
  }
  for (let i = 0; i < forget.length; i += CHUNK) {
    await db.query(
      `DELETE FROM git_unreachable WHERE ctid = ANY (${rowsOf('git_unreachable')}) AND repo_id = $1`,
      [repoId, oidBytes(forget.slice(i, i + CHUNK))],
    )
  }
  for (let i = 0; i < fresh.length; i += CHUNK) {
    const added = await db.query<{ oid: string; found_at: Date }>(
      `INSERT INTO git_unreachable (repo_id, oid) SELECT $1, oid FROM unnest($2::bytea[]) AS u(oid)
       ON CONFLICT (repo_id, oid) DO UPDATE SET found_at = git_unreachable.found_at
       RETURNING encode(oid, 'hex') AS oid, found_at`,
      [repoId, oidBytes(fresh.slice(i, i + CHUNK))],
    )
    for (const r of added.rows) since.set(r.oid, r.found_at)
  }
  return since
}

/**
 * Forgets when `oids` were found unreachable: a writer found them stored and is using them again,
 * so their prune age starts over (git freshens an object it would have written).
 *
 * @example
 * await freshenUnreachable(tx, { repoId, oids: skipped })
 */
export async function freshenUnreachable(
  executor: Executor,
  { repoId, oids }: { repoId: number; oids: readonly string[] },
): Promise<void> {
  if (oids.length === 0) return
  await executor.query(
    `DELETE FROM git_unreachable WHERE repo_id = $1 AND oid = ANY($2::bytea[])`,
    [repoId, oidBytes(oids)],
  )
}
