import type { Executor } from '../database.ts'
import type { PackEntry } from './pack-format.ts'
import { deletePacks, readPackEntries } from './read-pack-entries.ts'
import { insertEntries } from './write-pack.ts'

/**
 * Merges the given packs of a repository into one (compaction of small packs, as JGit's
 * DfsPackCompactor does), in the caller's transaction, which holds the repository's GC lock
 * exclusively. Entries keep their bytes: a delta's base is in the merged pack as it was in its
 * own. Throws a TypeError when a pack does not exist.
 *
 * @example
 * const { packId } = await mergePacks({ db: tx, repoId, packIds: small.map((p) => p.packId) })
 */
export async function mergePacks({
  db,
  repoId,
  packIds,
}: {
  db: Executor
  repoId: number
  packIds: number[]
}): Promise<{ packId: number; bytes: number }> {
  const ids = [...new Set(packIds)]
  if (ids.length === 0) throw new TypeError('no packs to merge')
  const packs = await readPackEntries(db, { repoId, packIds: ids })
  if (packs.length !== ids.length) {
    const found = new Set(packs.map((p) => p.packId))
    throw new TypeError(`pack ${ids.find((id) => !found.has(id))} does not exist`)
  }
  const entries: PackEntry[] = packs.flatMap((p) => p.entries)
  const merged = await insertEntries({ db, repoId, entries })
  await deletePacks(db, { repoId, packIds: ids })
  return merged
}
