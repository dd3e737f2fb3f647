import type { Executor } from '../database.ts'

/** A pack as `listPacks` describes it. */
export interface PackInfo {
  packId: number
  objects: number
  /** bytes of its data and index */
  bytes: number
  createdAt: Date
}

/**
 * The packs of a repository: id, objects, bytes (data + index), created_at; oldest first.
 *
 * @example
 * const small = (await listPacks({ db, repoId })).filter((p) => p.objects < 1000)
 */
export async function listPacks({
  db,
  repoId,
}: {
  db: Executor
  repoId: number
}): Promise<PackInfo[]> {
  const { rows } = await db.query<{
    pack_id: string
    objects: number
    bytes: string
    created_at: Date
  }>(
    `SELECT pack_id, objects, octet_length(data)::bigint + octet_length(idx) AS bytes, created_at
     FROM git_packs WHERE repo_id = $1 ORDER BY pack_id`,
    [repoId],
  )
  return rows.map((r) => ({
    packId: Number(r.pack_id),
    objects: r.objects,
    bytes: Number(r.bytes),
    createdAt: r.created_at,
  }))
}

/**
 * Every packed id of the repository, 20 bytes each, sorted (for the GC snapshot): only the ids'
 * part of each index is read.
 *
 * @example
 * const ids = await readPackedIds({ db, repoId }) // ids.subarray(i * 20, i * 20 + 20)
 */
export async function readPackedIds({
  db,
  repoId,
}: {
  db: Executor
  repoId: number
}): Promise<Buffer> {
  const { rows } = await db.query<{ ids: Buffer }>(
    `SELECT substring(idx from 1 for objects * 20) AS ids FROM git_packs WHERE repo_id = $1`,
    [repoId],
  )
  if (rows.length === 1) return rows[0].ids
  const all: Buffer[] = []
  for (const r of rows)
    for (let at = 0; at < r.ids.length; at += 20) all.push(r.ids.subarray(at, at + 20))
  all.sort(Buffer.compare)
  return Buffer.concat(all, all.length * 20)
}

/** The ids and object counts of a repository's packs: what the index cache checks first. */
export async function listPackIds(db: Executor, repoId: number): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pack_id: string; objects: number }>(
    'SELECT pack_id, objects FROM git_packs WHERE repo_id = $1',
    [repoId],
  )
  return new Map(rows.map((r) => [Number(r.pack_id), r.objects]))
}

/** The indexes of the packs `packIds` of a repository that still exist. */
export async function readIndexes(
  db: Executor,
  { repoId, packIds }: { repoId: number; packIds: readonly number[] },
): Promise<Map<number, Buffer>> {
  const { rows } = await db.query<{ pack_id: string; idx: Buffer }>(
    `SELECT pack_id, idx FROM git_packs WHERE repo_id = $1 AND pack_id = ANY($2::bigint[])`,
    [repoId, packIds],
  )
  return new Map(rows.map((r) => [Number(r.pack_id), r.idx]))
}
