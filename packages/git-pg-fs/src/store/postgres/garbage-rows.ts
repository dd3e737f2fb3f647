import type { Executor } from './database.ts'
import { forgetFullPack } from './full-packs-table.ts'
import { oidBytes } from './oid-bytes.ts'

const CHUNK = 10_000

/**
 * The row ids (`ctid`) of the rows of repository `$1` whose `oid` is one of `$2`, found by one
 * index look-up each: as in `object-rows-sql.ts`, a join or `oid = ANY(...)` is planned as a scan
 * of the repository's rows when its statistics are stale (just after an import), which in a
 * batch holding the GC lock would keep writers waiting.
 *
 * @example
 * await db.query(`DELETE FROM git_unreachable WHERE ctid = ANY (${rowsOf('git_unreachable')})`, [repoId, ids])
 */
export const rowsOf = (table: string) =>
  `ARRAY(SELECT t.ctid FROM unnest($2::bytea[]) AS u(oid)
     CROSS JOIN LATERAL (SELECT ctid FROM ${table} WHERE repo_id = $1 AND oid = u.oid LIMIT 1) AS t)`

/** A stored object as garbage collection plans its removal. */
export interface GarbageRow {
  oid: string
  type: number
  /** the delta base, or null for a whole object */
  base: string | null
  /** stored bytes */
  bytes: number
}

/**
 * The stored rows among `oids` (type, delta base, stored size), without their data.
 *
 * @example
 * const rows = await readGarbageRows(db, { repoId, oids })
 */
export async function readGarbageRows(
  executor: Executor,
  { repoId, oids }: { repoId: number; oids: readonly string[] },
): Promise<GarbageRow[]> {
  const out: GarbageRow[] = []
  for (let i = 0; i < oids.length; i += CHUNK) {
    const { rows } = await executor.query<GarbageRow>(
      `SELECT encode(g.oid, 'hex') AS oid, g.type, encode(g.base, 'hex') AS base,
         octet_length(g.data) AS bytes
       FROM unnest($2::bytea[]) AS u(oid)
       CROSS JOIN LATERAL (SELECT * FROM git_objects
         WHERE repo_id = $1 AND oid = u.oid LIMIT 1) AS g`,
      [repoId, oidBytes(oids.slice(i, i + CHUNK))],
    )
    out.push(...rows)
  }
  return out
}

/**
 * The rows built on `oids` as delta bases (`base` one of them) that are not among them, by index
 * (`OFFSET 0` keeps the look-up per id from being planned as a join over the repository's rows).
 *
 * @example
 * const dependants = await findDependants(tx, { repoId, oids: batch })
 */
export async function findDependants(
  executor: Executor,
  { repoId, oids }: { repoId: number; oids: readonly string[] },
): Promise<string[]> {
  const { rows } = await executor.query<{ oid: string }>(
    `SELECT encode(g.oid, 'hex') AS oid FROM unnest($2::bytea[]) AS u(oid)
     CROSS JOIN LATERAL (SELECT oid FROM git_objects
       WHERE repo_id = $1 AND git_oid_key(base) = git_oid_key(u.oid) AND base = u.oid
         AND base IS NOT NULL OFFSET 0) AS g
     WHERE g.oid <> ALL ($2::bytea[])`,
    [repoId, oidBytes(oids)],
  )
  return rows.map((r) => r.oid)
}

/**
 * Stores `rows` whole (`data` the zlib of their content, depth 0), then gives every delta built
 * on them, down their chains, its exact new depth; chains are not followed into `removed`.
 *
 * @example
 * await storeWhole(tx, { repoId, rows: [{ oid, data: deflateSync(content) }], removed: batch })
 */
export async function storeWhole(
  executor: Executor,
  {
    repoId,
    rows,
    removed,
  }: { repoId: number; rows: readonly { oid: string; data: Buffer }[]; removed: readonly string[] },
): Promise<void> {
  for (const r of rows) {
    await executor.query(
      `UPDATE git_objects SET data = $3, base = NULL, depth = 0, zlib = true
       WHERE repo_id = $1 AND oid = $2`,
      [repoId, Buffer.from(r.oid, 'hex'), r.data],
    )
  }
  // a chain is at most 50 deep: the bound only guards against a cycle in corrupt rows
  await executor.query(
    `WITH RECURSIVE chain(oid, depth) AS (
       SELECT u.oid, 0 FROM unnest($2::bytea[]) AS u(oid)
       UNION ALL
       SELECT g.oid, c.depth + 1 FROM chain c
       CROSS JOIN LATERAL (SELECT oid FROM git_objects
         WHERE repo_id = $1 AND git_oid_key(base) = git_oid_key(c.oid) AND base = c.oid
           AND base IS NOT NULL OFFSET 0) AS g
       WHERE c.depth < 1000 AND g.oid <> ALL ($3::bytea[])
     ),
     moved AS (
       SELECT t.ctid, c.depth FROM chain c
       CROSS JOIN LATERAL (SELECT ctid FROM git_objects
         WHERE repo_id = $1 AND oid = c.oid LIMIT 1) AS t
       WHERE c.depth > 0
     )
     UPDATE git_objects o SET depth = m.depth FROM moved m
     WHERE o.ctid = m.ctid AND o.repo_id = $1 AND o.depth <> m.depth`,
    [repoId, oidBytes(rows.map((r) => r.oid)), oidBytes(removed)],
  )
}

/**
 * Removes the rows of `oids`, their commit graph rows and their `git_unreachable` records, and
 * the repository's full-pack record (see `readFullPack`).
 * Returns how many objects went and their stored bytes.
 *
 * @example
 * const { deleted, bytes } = await deleteObjectRows(tx, { repoId, oids: batch })
 */
export async function deleteObjectRows(
  executor: Executor,
  { repoId, oids }: { repoId: number; oids: readonly string[] },
): Promise<{ deleted: number; bytes: number }> {
  const ids = oidBytes(oids)
  const { rows } = await executor.query<{ deleted: string; bytes: string }>(
    `WITH gone AS (
       DELETE FROM git_objects WHERE ctid = ANY (${rowsOf('git_objects')}) AND repo_id = $1
       RETURNING octet_length(data) AS bytes
     )
     SELECT count(*) AS deleted, coalesce(sum(bytes), 0) AS bytes FROM gone`,
    [repoId, ids],
  )
  for (const table of ['git_commit_graph', 'git_unreachable']) {
    await executor.query(
      `DELETE FROM ${table} WHERE ctid = ANY (${rowsOf(table)}) AND repo_id = $1`,
      [repoId, ids],
    )
  }
  if (Number(rows[0].deleted) > 0) await forgetFullPack(executor, repoId)
  return { deleted: Number(rows[0].deleted), bytes: Number(rows[0].bytes) }
}
