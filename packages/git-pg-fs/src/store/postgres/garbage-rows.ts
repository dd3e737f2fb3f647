import type { Executor } from './database.ts'

const CHUNK = 10_000
const hex = (oids: readonly string[]) => oids.map((o) => Buffer.from(o, 'hex'))

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
       JOIN git_objects g ON g.repo_id = $1 AND g.oid = u.oid`,
      [repoId, hex(oids.slice(i, i + CHUNK))],
    )
    out.push(...rows)
  }
  return out
}

/**
 * The rows built on `oids` as delta bases (`base` one of them) that are not among them.
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
     JOIN git_objects g ON g.repo_id = $1 AND g.base = u.oid AND g.base IS NOT NULL
     WHERE g.oid <> ALL ($2::bytea[])`,
    [repoId, hex(oids)],
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
       JOIN git_objects g ON g.repo_id = $1 AND g.base = c.oid AND g.base IS NOT NULL
       WHERE c.depth < 1000 AND g.oid <> ALL ($3::bytea[])
     )
     UPDATE git_objects o SET depth = c.depth FROM chain c
     WHERE o.repo_id = $1 AND o.oid = c.oid AND c.depth > 0 AND o.depth <> c.depth`,
    [repoId, hex(rows.map((r) => r.oid)), hex(removed)],
  )
}

/**
 * Removes the rows of `oids`, their commit graph rows and their `git_unreachable` records.
 * Returns how many objects went and their stored bytes.
 *
 * @example
 * const { deleted, bytes } = await deleteObjectRows(tx, { repoId, oids: batch })
 */
export async function deleteObjectRows(
  executor: Executor,
  { repoId, oids }: { repoId: number; oids: readonly string[] },
): Promise<{ deleted: number; bytes: number }> {
  const ids = hex(oids)
  const { rows } = await executor.query<{ deleted: string; bytes: string }>(
    `WITH gone AS (
       DELETE FROM git_objects g USING unnest($2::bytea[]) AS u(oid)
       WHERE g.repo_id = $1 AND g.oid = u.oid RETURNING octet_length(g.data) AS bytes
     )
     SELECT count(*) AS deleted, coalesce(sum(bytes), 0) AS bytes FROM gone`,
    [repoId, ids],
  )
  for (const table of ['git_commit_graph', 'git_unreachable']) {
    await executor.query(
      `DELETE FROM ${table} t USING unnest($2::bytea[]) AS u(oid)
       WHERE t.repo_id = $1 AND t.oid = u.oid`,
      [repoId, ids],
    )
  }
  return { deleted: Number(rows[0].deleted), bytes: Number(rows[0].bytes) }
}
