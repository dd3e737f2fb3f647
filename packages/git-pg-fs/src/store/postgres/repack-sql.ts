import type { Executor } from './database.ts'

/** Rows of the metadata scan per query: the scan pages through the repository by id. */
const PAGE = 20_000

/** A `git_objects` row's metadata, as repack plans from it (no content). */
export interface RowMeta {
  oid: string
  /** git's type code */
  type: number
  size: number
  base: string | null
  depth: number
  zlib: boolean
  /** bytes of `data` as stored */
  stored: number
}

/**
 * The metadata of every row of the repository, in pages by id: `octet_length` of a value stored
 * out of line reads its TOAST pointer, not the value, so no content is read.
 *
 * @example
 * for await (const page of scanObjectRows(db, { repoId })) for (const row of page) plan(row)
 */
export async function* scanObjectRows(
  executor: Executor,
  { repoId }: { repoId: number },
): AsyncGenerator<RowMeta[]> {
  let after: Buffer = Buffer.alloc(0)
  for (;;) {
    const { rows } = await executor.query<{
      oid: Buffer
      type: number
      size: number
      base: string | null
      depth: number
      zlib: boolean
      stored: number
    }>(
      `SELECT oid, type, size, encode(base, 'hex') AS base, depth, zlib,
         octet_length(data) AS stored
       FROM git_objects WHERE repo_id = $1 AND oid > $2 ORDER BY oid LIMIT ${PAGE}`,
      [repoId, after],
    )
    if (rows.length === 0) return
    after = rows[rows.length - 1].oid
    yield rows.map((r) => ({ ...r, oid: r.oid.toString('hex') }))
    if (rows.length < PAGE) return
  }
}

/** A whole row stored again as a delta on `base`. */
export interface DeltaWrite {
  oid: string
  base: string
  depth: number
  data: Buffer
  /** `octet_length(data)` when planned: the row is left alone if it changed since */
  stored: number
}

/**
 * Writes one batch of repack's plan: whole rows become deltas, and rows whose chain now runs
 * through one of them take their new depth. Every change is guarded (a delta only on a row still
 * whole and the size it was; a depth only on a row whose base is still the one planned on).
 * Returns false, having written nothing that statement did not match, when a row changed since
 * the plan or a row was built on a changed one since: the caller rolls the transaction back. Run
 * under the repository's GC lock (exclusive), so no writer builds on a row meanwhile.
 *
 * @example
 * await store.transaction((tx) => writeRepackBatch(tx.executor, { repoId, deltas, depths }))
 */
export async function writeRepackBatch(
  executor: Executor,
  {
    repoId,
    deltas,
    depths,
  }: {
    repoId: number
    deltas: readonly DeltaWrite[]
    depths: readonly { oid: string; base: string; depth: number }[]
  },
): Promise<boolean> {
  const hex = (s: string) => Buffer.from(s, 'hex')
  // a row built since the scan on a row this batch changes would keep a stale depth
  const changed = [...deltas.map((d) => hex(d.oid)), ...depths.map((d) => hex(d.oid))]
  const { rows } = await executor.query(
    `SELECT 1 FROM unnest($2::bytea[]) AS u(oid)
     CROSS JOIN LATERAL (SELECT oid FROM git_objects
       WHERE repo_id = $1 AND git_oid_key(base) = git_oid_key(u.oid) AND base = u.oid
         AND base IS NOT NULL OFFSET 0) AS g
     WHERE g.oid <> ALL ($2::bytea[]) LIMIT 1`,
    [repoId, changed],
  )
  if (rows.length > 0) return false
  const made = await executor.query(
    `UPDATE git_objects g SET data = x.data, base = x.base, depth = x.depth
     FROM unnest($2::bytea[], $3::bytea[], $4::bytea[], $5::int2[], $6::int4[])
       AS x(oid, data, base, depth, stored)
     WHERE g.repo_id = $1 AND g.oid = x.oid AND g.base IS NULL AND g.zlib
       AND octet_length(g.data) = x.stored`,
    [
      repoId,
      deltas.map((d) => hex(d.oid)),
      deltas.map((d) => d.data),
      deltas.map((d) => hex(d.base)),
      deltas.map((d) => d.depth),
      deltas.map((d) => d.stored),
    ],
  )
  if (made.rowCount !== deltas.length) return false
  if (depths.length === 0) return true
  const moved = await executor.query(
    `UPDATE git_objects g SET depth = x.depth
     FROM unnest($2::bytea[], $3::bytea[], $4::int2[]) AS x(oid, base, depth)
     WHERE g.repo_id = $1 AND g.oid = x.oid AND g.base = x.base`,
    [
      repoId,
      depths.map((d) => hex(d.oid)),
      depths.map((d) => hex(d.base)),
      depths.map((d) => d.depth),
    ],
  )
  return moved.rowCount === depths.length
}
