import type { Executor } from '../database.ts'
import { PackIndex, WHOLE, type PackEntry } from './pack-format.ts'

/** A pack read whole: its id, its bytes (index and data) and its entries. */
export interface LoadedPack {
  packId: number
  bytes: number
  index: PackIndex
  entries: PackEntry[]
}

/**
 * The packs `packIds` of a repository read whole, as entries (maintenance rewrites them): those
 * that do not exist are left out. Locks their rows, so two rewrites of a pack take turns.
 */
export async function readPackEntries(
  db: Executor,
  { repoId, packIds }: { repoId: number; packIds: readonly number[] },
): Promise<LoadedPack[]> {
  const { rows } = await db.query<{ pack_id: string; idx: Buffer; data: Buffer }>(
    `SELECT pack_id, idx, data FROM git_packs WHERE repo_id = $1 AND pack_id = ANY($2::bigint[])
     ORDER BY pack_id FOR UPDATE`,
    [repoId, packIds],
  )
  return rows.map((r) => {
    const index = new PackIndex(r.idx)
    const entries: PackEntry[] = []
    for (let i = 0; i < index.count; i++) {
      const e = index.entry(i)
      entries.push({
        oid: index.oid(i),
        type: e.type,
        size: e.size,
        data: r.data.subarray(e.offset, e.offset + e.length),
        base: e.base === WHOLE ? null : index.oid(e.base),
      })
    }
    return { packId: Number(r.pack_id), bytes: r.idx.length + r.data.length, index, entries }
  })
}

/** Deletes the pack rows `packIds`. */
export async function deletePacks(
  db: Executor,
  { repoId, packIds }: { repoId: number; packIds: readonly number[] },
): Promise<void> {
  await db.query('DELETE FROM git_packs WHERE repo_id = $1 AND pack_id = ANY($2::bigint[])', [
    repoId,
    packIds,
  ])
}
