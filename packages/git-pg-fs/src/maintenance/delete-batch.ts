import { deflateSync } from 'node:zlib'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { deleteObjectRows, findDependants, storeWhole } from '../store/postgres/garbage-rows.ts'
import { removeFromPacks } from '../store/postgres/packs/remove-from-packs.ts'

/** Dependants' contents read and stored again whole this many at a time. */
const REBASE_BATCH = 200

/** What one batch removed. */
export interface BatchDone {
  /** rows removed, and their stored bytes */
  deleted: number
  bytes: number
  rebased: number
  /** objects removed from packs, and the bytes the packs shrank by */
  fromPacks: number
  packBytes: number
}

/**
 * Removes `batch` in `tx` (which holds the repository's GC lock exclusively): their rows, and
 * those of them `inPacks` from their packs (`removeFromPacks` re-encodes the entries built on
 * them). A row kept that is stored as a delta of one of them is first stored again whole, and
 * the depths of the deltas built on it renumbered: a delta base that is still needed is never
 * lost.
 *
 * @example
 * const { deleted, bytes, rebased } = await deleteBatch({ tx, repoId, batch, inPacks })
 */
export async function deleteBatch({
  tx,
  repoId,
  batch,
  inPacks,
}: {
  tx: PostgresStore
  repoId: number
  batch: readonly string[]
  /** the garbage held in packs */
  inPacks: ReadonlySet<string>
}): Promise<BatchDone> {
  const dependants = await findDependants(tx.executor, { repoId, oids: batch })
  for (let i = 0; i < dependants.length; i += REBASE_BATCH) {
    const slice = dependants.slice(i, i + REBASE_BATCH)
    const objects = await tx.readObjects(repoId, slice)
    const rows = slice.map((oid) => {
      const o = objects.get(oid)
      if (!o) throw new Error(`object ${oid} vanished while garbage collection held its lock`)
      return { oid, data: deflateSync(o.content) }
    })
    await storeWhole(tx.executor, { repoId, rows, removed: batch })
  }
  const { deleted, bytes } = await deleteObjectRows(tx.executor, { repoId, oids: batch })
  const packed = batch.filter((oid) => inPacks.has(oid))
  if (packed.length === 0)
    return { deleted, bytes, rebased: dependants.length, fromPacks: 0, packBytes: 0 }
  const removed = await removeFromPacks({
    db: tx.executor,
    repoId,
    oids: packed.map((oid) => Buffer.from(oid, 'hex')),
  })
  return {
    deleted,
    bytes,
    rebased: dependants.length,
    fromPacks: removed.objects,
    packBytes: removed.bytes,
  }
}
