import type { Executor } from './database.ts'
import { oidBytes } from './oid-bytes.ts'

/** A delta row stored again on another base (a whole row: depth 0), or whole (`base` null). */
export interface Reroot {
  oid: string
  /** the base it has now: the row is left alone if that changed since */
  from: string
  base: string | null
  depth: number
  /** zlib bytes of the delta on `base`, or of the whole object */
  data: Buffer
}

/**
 * Stores each of `rows` again on its new base (or whole), if its base is still `from`, then gives
 * every row built on a changed one, down its chains, its exact new depth. Returns the ids
 * changed. Run under the repository's GC lock (exclusive): no writer builds on a row meanwhile.
 *
 * @example
 * const changed = await rerootRows(tx, { repoId, rows })
 */
export async function rerootRows(
  executor: Executor,
  { repoId, rows }: { repoId: number; rows: readonly Reroot[] },
): Promise<string[]> {
  if (rows.length === 0) return []
  const hex = (s: string | null) => (s === null ? null : Buffer.from(s, 'hex'))
  const { rows: changed } = await executor.query<{ oid: Buffer; depth: number }>(
    `UPDATE git_objects g SET data = x.data, base = x.base, depth = x.depth
     FROM unnest($2::bytea[], $3::bytea[], $4::bytea[], $5::int2[], $6::bytea[])
       AS x(oid, data, base, depth, old)
     WHERE g.repo_id = $1 AND g.oid = x.oid AND g.base = x.old
     RETURNING g.oid, g.depth`,
    [
      repoId,
      oidBytes(rows.map((r) => r.oid)),
      rows.map((r) => r.data),
      rows.map((r) => hex(r.base)),
      rows.map((r) => r.depth),
      oidBytes(rows.map((r) => r.from)),
    ],
  )
  if (changed.length === 0) return []
  // a chain is at most 50 deep: the bound only guards against a cycle in corrupt rows
  await executor.query(
    `WITH RECURSIVE chain(oid, depth) AS (
       SELECT u.oid, u.depth FROM unnest($2::bytea[], $3::int4[]) AS u(oid, depth)
       UNION ALL
       SELECT g.oid, c.depth + 1 FROM chain c
       CROSS JOIN LATERAL (SELECT oid FROM git_objects
         WHERE repo_id = $1 AND git_oid_key(base) = git_oid_key(c.oid) AND base = c.oid
           AND base IS NOT NULL OFFSET 0) AS g
       WHERE c.depth < 1000
     ),
     moved AS (
       SELECT t.ctid, c.depth FROM chain c
       CROSS JOIN LATERAL (SELECT ctid FROM git_objects
         WHERE repo_id = $1 AND oid = c.oid LIMIT 1) AS t
     )
     UPDATE git_objects o SET depth = m.depth FROM moved m
     WHERE o.ctid = m.ctid AND o.repo_id = $1 AND o.depth <> m.depth`,
    [repoId, changed.map((r) => r.oid), changed.map((r) => r.depth)],
  )
  return changed.map((r) => r.oid.toString('hex'))
}
