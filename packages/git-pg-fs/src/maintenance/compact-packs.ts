import { listPacks } from '../store/postgres/packs/read-packs.ts'
import { mergePacks } from '../store/postgres/packs/merge-packs.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import type { ArchiveReport, MaintenanceOptions } from './maintenance-types.ts'
import { underGcLock } from './under-gc-lock.ts'

/** A pack smaller than this is small. */
export const SMALL_PACK_BYTES = 16 << 20
/** More small packs than this are merged. */
export const MAX_SMALL_PACKS = 8
/**
 * One merge takes packs of at most this many bytes together: garbage collection rewrites a pack
 * that loses objects under the GC lock, so a pack stays small enough to rewrite in a moment.
 */
const MERGE_BYTES = 16 << 20

/**
 * Merges a repository's small packs once it has more than `MAX_SMALL_PACKS` of them (every run
 * of archive adds one or a few), oldest first, into packs of at most `MERGE_BYTES` (JGit's
 * `DfsPackCompactor`): a read of a packed object looks in fewer indexes, and the rows are fewer.
 * Each merge is one transaction holding the GC lock exclusively. Adds to `report`.
 *
 * @example
 * await compactPacks({ store, repoId, options, report })
 */
export async function compactPacks({
  store,
  repoId,
  options,
  report,
}: {
  store: PostgresStore
  repoId: number
  options: MaintenanceOptions
  report: ArchiveReport
}): Promise<void> {
  const small = (await listPacks({ db: store.executor, repoId }))
    .filter((p) => p.bytes < SMALL_PACK_BYTES)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.packId - b.packId)
  if (small.length <= MAX_SMALL_PACKS) return
  const groups: number[][] = []
  let group: number[] = []
  let bytes = 0
  for (const p of small) {
    if (group.length > 0 && bytes + p.bytes > MERGE_BYTES) {
      groups.push(group)
      group = []
      bytes = 0
    }
    group.push(p.packId)
    bytes += p.bytes
  }
  groups.push(group)
  for (const packIds of groups.filter((g) => g.length > 1)) {
    options.signal?.throwIfAborted()
    if (!options.dryRun) {
      const done = await underGcLock({
        store,
        repoId,
        signal: options.signal,
        fn: (tx) => mergePacks({ db: tx.executor, repoId, packIds }),
      })
      if (!done) return
      options.log?.('archive-merge', { repoId, packs: packIds.length, ...done.value })
    }
    report.packsMerged += packIds.length
    report.mergedInto += 1
  }
}
